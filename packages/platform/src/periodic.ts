import type { Logger } from './logger.js';
import type { Stoppable } from './shutdown.js';

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  /** One round of the job; a failure is logged and the next round comes as planned. */
  run: () => Promise<unknown>;
  logger: Logger;
  /** Runs a first round at once instead of after one interval. */
  runAtStart?: boolean;
}

/** A periodic job: `wake()` asks for a round now (right after the current one, if one is running). */
export interface PeriodicJob extends Stoppable {
  wake(): void;
  /** Runs a round now and resolves when it is done (tests). */
  runNow(): Promise<void>;
}

/**
 * A background job of a service (expiring reservations, sending queued mails, pruning old rows):
 * one round every `intervalMs` or when woken, never two at once; `stop()` waits for the round
 * under way.
 */
export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const { logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void round(), options.intervalMs);
    timer.unref();
  }

  function round(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    const current = (async () => {
      do {
        again = false;
        try {
          await options.run();
        } catch (err) {
          logger.warn('background job failed; it runs again later', { job: options.name, error: String(err) });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      schedule();
    });
    running = current;
    return current;
  }

  if (options.runAtStart) void round();
  else schedule();
  return {
    wake() {
      if (!stopped) void round();
    },
    runNow: round,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
