import pg from 'pg';
import { backoffDelay, type Logger, type Stoppable } from '@shop/platform';

/**
 * The channel the catalog's triggers notify on when a change to what shoppers read commits
 * (migration 0003): categories, products, variants and the stock status read model.
 *
 * Why PostgreSQL's LISTEN/NOTIFY rather than the catalog's events on RabbitMQ: a notification is
 * sent by the commit itself and only if it commits, by every writer (the admin routes, the stock
 * consumer on whichever replica took the event, a fix made by hand), at once. Events would come
 * from the outbox relay of the one replica holding its lease (up to a poll interval later), and the
 * stock read model has no event of its own: a replica hearing the inventory's event could drop its
 * answers before another replica had committed the change, and then keep the old ones.
 */
export const CHANGES_CHANNEL = 'catalog_changed';

// Longer than any heartbeat should take; past it the connection is replaced.
const QUERY_TIMEOUT_MS = 5_000;

export interface ChangeListenerOptions {
  url: string;
  logger: Logger;
  /** How often a round trip proves the listening connection still hears every notification. */
  heartbeatMs: number;
  /** The clock `onConfirmed` is told times on (the answer cache's). */
  now: () => number;
  /**
   * A change was committed, here, on another replica or by hand. Also called on every (re)connection,
   * as changes committed while nobody listened are unknown.
   */
  onChange(): void;
  /** Every change committed before `at` has been passed to `onChange`. */
  onConfirmed(at: number): void;
}

/**
 * Listens on its own connection for the catalog's change notifications, and proves every
 * `heartbeatMs` that it still hears them: PostgreSQL sends a session the notifications committed
 * before its query ends ahead of the query's answer, so a `SELECT 1` that started at T and
 * answered means every change committed before T has been heard. A lost connection is replaced
 * with backoff; meanwhile nothing is confirmed, so the answer cache keeps answers only briefly.
 */
export function listenForChanges(options: ChangeListenerOptions): Stoppable {
  const { logger } = options;
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
    const next = new pg.Client({ connectionString: options.url, application_name: 'catalog change listener', connectionTimeoutMillis: 5_000, keepAlive: true, query_timeout: QUERY_TIMEOUT_MS });
    // A dropped connection is replaced at the next heartbeat.
    next.on('error', () => forget(next));
    next.on('end', () => forget(next));
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) options.onChange();
    });
    try {
      await next.connect();
      const startedAt = options.now();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
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
        if (failures > 0) logger.info('hearing catalog changes again');
        failures = 0;
      }
      schedule(options.heartbeatMs);
    } catch (err) {
      if (client) forget(client);
      if (failures === 0) logger.warn('catalog change notifications lost; answers are kept only briefly until they are back', { error: err instanceof Error ? err.message : String(err) });
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
