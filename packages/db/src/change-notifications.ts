import pg from 'pg';
import { backoffDelay, type Logger, type Stoppable } from '@shop/platform';

// Longer than any heartbeat should take; past it the connection is replaced.
const QUERY_TIMEOUT_MS = 5_000;

export interface ChangeListenerOptions {
  url: string;
  logger: Logger;
  /**
   * The channel the service's triggers notify on when a change to what its answers show commits
   * (the trigger SQL is in each service's migrations). A plain identifier.
   */
  channel: string;
  /** How the listening connection shows in pg_stat_activity. */
  applicationName: string;
  /** How often a round trip proves the listening connection still hears every notification. */
  heartbeatMs: number;
  /** The clock `onConfirmed` is told times on (the answer cache's). */
  now: () => number;
  /**
   * A change was committed, here, on another replica or by hand: `payload` is what the trigger
   * sent with it. Called with no payload on every (re)connection: changes committed while nobody
   * listened are unknown, so anything may have changed.
   */
  onChange(payload?: string): void;
  /** Every change committed before `at` has been passed to `onChange`. */
  onConfirmed(at: number): void;
}

/**
 * Listens on its own connection for a service's change notifications (PostgreSQL LISTEN/NOTIFY),
 * and proves every `heartbeatMs` that it still hears them: PostgreSQL sends a session the
 * notifications committed before its query ends ahead of the query's answer, so a `SELECT 1` that
 * started at T and answered means every change committed before T has been heard. A lost
 * connection is replaced with backoff; meanwhile nothing is confirmed, so an answer cache keeps
 * answers only briefly.
 *
 * Why LISTEN/NOTIFY rather than the services' events: a notification is sent by the commit itself
 * and only if it commits, by every writer (routes, consumers on whichever replica took an event, a
 * fix made by hand), at once; events go out through one replica's outbox relay, later.
 */
export function listenForChanges(options: ChangeListenerOptions): Stoppable {
  const { logger, channel } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failures = 0;

  function forget(lost: pg.Client) {
    if (client === lost) client = undefined;
    lost.end().catch(() => undefined);
  }

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    // A dropped connection is replaced at the next heartbeat.
    next.on('error', () => forget(next));
    next.on('end', () => forget(next));
    next.on('notification', (message) => {
      if (message.channel === channel) options.onChange(message.payload ?? '');
    });
    try {
      await next.connect();
      const startedAt = options.now();
      await next.query(`LISTEN ${channel}`);
      options.onChange();
      options.onConfirmed(startedAt);
      return next;
    } catch (err) {
      forget(next);
      throw err;
    }
  }

  async function beat(): Promise<void> {
    try {
      if (client) {
        const startedAt = options.now();
        await client.query('SELECT 1');
        options.onConfirmed(startedAt);
      } else {
        client = await connect();
        if (stopped) return forget(client);
        if (failures > 0) logger.info('hearing change notifications again', { channel });
        failures = 0;
      }
      schedule(options.heartbeatMs);
    } catch (err) {
      if (client) forget(client);
      if (failures === 0) {
        logger.warn('change notifications lost; answers are kept only briefly until they are back', { channel, error: err instanceof Error ? err.message : String(err) });
      }
      failures += 1;
      schedule(backoffDelay(failures - 1, 250, 5_000));
    }
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = beat().finally(() => (running = undefined));
    }, delayMs);
    timer.unref();
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (client) await client.end().catch(() => undefined);
      client = undefined;
    },
  };
}
