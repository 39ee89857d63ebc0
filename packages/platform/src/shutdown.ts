import { createLogger, type Logger } from './logger.js';

/** A started process: what its signal handler stops. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** What `runMain` needs of a process's config. */
export interface MainConfig {
  LOG_LEVEL: string;
  SHUTDOWN_TIMEOUT_MS: number;
}

/**
 * The whole life of a process (`main.ts` of every service, the worker and the gateway): loads the
 * config (a bad one exits 1 naming every key), starts, and on SIGTERM or SIGINT stops within
 * SHUTDOWN_TIMEOUT_MS and exits 0; a stop that fails or overruns exits 1. A signal during start-up
 * (while waiting for PostgreSQL, say) aborts the start and exits 0.
 */
export async function runMain<C extends MainConfig>(
  name: string,
  loadConfig: () => Readonly<C>,
  start: (config: Readonly<C>, logger: Logger, signal: AbortSignal) => Promise<Stoppable>,
): Promise<void> {
  let config: Readonly<C>;
  try {
    config = loadConfig();
  } catch (err) {
    createLogger(name).error(`${name} not started`, { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  // A rejected promise nobody awaited is a bug to log, not a reason to take the service down.
  process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { error: reason instanceof Error ? reason.stack : String(reason) }));

  const aborted = new AbortController();
  // Assigned below, before any signal can be handled (handlers only run on a later tick).
  let running: Promise<Stoppable | undefined> = Promise.resolve(undefined);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown timed out, exiting', { timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    aborted.abort();
    try {
      const service = await running;
      await service?.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error('shutdown failed', { error: err instanceof Error ? err.stack : String(err) });
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  running = start(config, logger, aborted.signal).catch((err: unknown) => {
    if (aborted.signal.aborted) return undefined;
    logger.error(`${name} failed to start`, { error: err instanceof Error ? err.stack : String(err) });
    process.exit(1);
  });
  await running;
}
