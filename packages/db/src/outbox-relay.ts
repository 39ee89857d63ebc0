import { sql, type Kysely } from 'kysely';
import type { EventEnvelope } from '@shop/contracts';
import type { Logger } from '@shop/platform';
import type { OutboxTables } from './outbox';

export interface OutgoingMessage {
  routingKey: string;
  envelope: EventEnvelope;
}

/** Publishes the messages in order and resolves once the broker confirmed every one. */
export type PublishBatch = (messages: OutgoingMessage[]) => Promise<void>;

export interface OutboxRelayOptions {
  db: Kysely<any>;
  publish: PublishBatch;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Sent rows older than this are deleted; the outbox is a queue, not an archive. */
  retentionHours?: number;
}

export interface OutboxRelay {
  start(): void;
  /** Publish now rather than at the next poll (called after a commit). */
  wake(): void;
  /** Publishes what is pending, for tests: resolves with the number of rows sent. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

// One relay per database publishes at a time, so a service's events leave in commit order.
const RELAY_LOCK = 727_274_002;

/**
 * Moves outbox rows to the broker: locks the oldest unsent rows, publishes them with confirms,
 * marks them sent in the same transaction. If the broker is down nothing is marked and the same
 * rows go out, in the same order, once it is back.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, publish, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let failing = false;
  let lastPrune = 0;

  async function sendBatch(): Promise<number> {
    return (db as Kysely<OutboxTables>).transaction().execute(async (tx) => {
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS locked`.execute(tx);
      if (!rows[0]?.locked) return 0;
      const pending = await tx
        .selectFrom('outbox')
        .select(['id', 'routing_key', 'envelope'])
        .where('sent_at', 'is', null)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .execute();
      if (pending.length === 0) return 0;
      await publish(pending.map((row) => ({ routingKey: row.routing_key, envelope: row.envelope })));
      await tx
        .updateTable('outbox')
        .set({ sent_at: new Date() })
        .where('id', 'in', pending.map((row) => row.id))
        .execute();
      return pending.length;
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await sendBatch();
      total += sent;
      if (sent < batchSize) return total;
    }
  }

  async function prune() {
    if (Date.now() - lastPrune < 3_600_000) return;
    lastPrune = Date.now();
    const hours = options.retentionHours ?? 72;
    await sql`DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => ${hours})`.execute(db);
  }

  async function cycle() {
    do {
      again = false;
      try {
        await drain();
        await prune();
        if (failing) logger.info('outbox relay publishing again');
        failing = false;
      } catch (err) {
        if (!failing) logger.warn('outbox relay cannot publish yet; events stay in the outbox', { error: String(err) });
        failing = true;
        again = false;
      }
    } while (again && !stopped);
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, pollIntervalMs);
  }

  function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = cycle().finally(() => {
      running = undefined;
      schedule();
    });
  }

  return {
    start() {
      stopped = false;
      tick();
    },
    wake() {
      if (!failing) tick();
    },
    drain,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
