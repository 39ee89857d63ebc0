import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { EventEnvelope } from '@shop/contracts';
import type { Logger } from '@shop/platform';
import type { Committed, OutboxTables } from './outbox.js';

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
  /** Inbox rows older than this are deleted: far longer than any redelivery or retry can take. */
  inboxRetentionHours?: number;
  /** How long the relay's lease lasts without renewal; another replica takes over after it. */
  leaseMs?: number;
  /** Told how many rows a batch published and marked sent (for the process's metrics). */
  onPublished?: (count: number) => void;
}

export interface OutboxRelay {
  start(): void;
  /**
   * Publish now rather than at the next poll (called after a commit). Told that the commit wrote
   * no events, it does nothing: what other processes wrote comes at the next poll, as ever.
   */
  wake(committed?: Committed): void;
  /** Publishes what is pending, for tests: resolves with the number of rows sent. */
  drain(): Promise<number>;
  /** Finishes the batch under way, then gives up the lease so another replica can take over at once. */
  stop(): Promise<void>;
}

const LEASE_NAME = 'outbox';

/**
 * Moves outbox rows to the broker: the replica holding the relay lease reads the oldest unsent
 * rows, publishes them with confirms, then marks them sent, each step on its own (no transaction
 * stays open while the broker is asked). If the broker is down nothing is marked and the same rows
 * go out, in the same order, once it is back. A crash between publish and mark publishes a row
 * twice, which consumers' inboxes absorb. The lease is renewed once half of it has passed, not on
 * every batch: a busy relay asks for it a few times a minute instead of once per commit.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { publish, logger } = options;
  const db = options.db as Kysely<OutboxTables>;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 10_000;
  const holder = randomUUID();
  // Until when (this process's monotonic clock) the lease is surely ours without asking again.
  let surelyHeldUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  // Drain and the poll cycle share one chain, so this process never publishes a row twice at once.
  let chain: Promise<unknown> = Promise.resolve();
  let cycling = false;
  let again = false;
  let stopped = true;
  let failing = false;
  let lastPrune = 0;

  /**
   * Takes or renews the lease, unless it was renewed less than half a lease ago: PostgreSQL set it
   * to expire a whole lease after it was asked (on its own clock), so for half of that no other
   * replica can have taken it, whatever the two clocks' small disagreement.
   */
  async function holdLease(): Promise<boolean> {
    const askedAt = performance.now();
    if (askedAt < surelyHeldUntil) return true;
    const { rows } = await sql<{ holder: string }>`
      INSERT INTO outbox_relay_lease (name, holder, expires_at)
      VALUES (${LEASE_NAME}, ${holder}, now() + make_interval(secs => ${leaseMs / 1000}::double precision))
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE outbox_relay_lease.holder = excluded.holder OR outbox_relay_lease.expires_at < now()
      RETURNING holder`.execute(db);
    surelyHeldUntil = rows.length > 0 ? askedAt + leaseMs / 2 : 0;
    return rows.length > 0;
  }

  async function sendBatch(): Promise<number> {
    if (!(await holdLease())) return 0;
    const pending = await db.selectFrom('outbox').select(['id', 'routing_key', 'envelope']).where('sent_at', 'is', null).orderBy('id').limit(batchSize).execute();
    if (pending.length === 0) return 0;
    await publish(pending.map((row) => ({ routingKey: row.routing_key, envelope: row.envelope })));
    await db
      .updateTable('outbox')
      .set({ sent_at: new Date() })
      .where('id', 'in', pending.map((row) => row.id))
      .where('sent_at', 'is', null)
      .execute();
    options.onPublished?.(pending.length);
    return pending.length;
  }

  async function drainNow(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await sendBatch();
      total += sent;
      if (sent < batchSize) return total;
    }
  }

  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  }

  async function prune() {
    if (Date.now() - lastPrune < 3_600_000) return;
    lastPrune = Date.now();
    await sql`DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => ${options.retentionHours ?? 72})`.execute(db);
    await sql`DELETE FROM inbox WHERE processed_at < now() - make_interval(hours => ${options.inboxRetentionHours ?? 168})`.execute(db);
  }

  async function cycle() {
    do {
      again = false;
      try {
        await serialized(drainNow);
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
    if (cycling) {
      again = true;
      return;
    }
    cycling = true;
    void cycle().finally(() => {
      cycling = false;
      schedule();
    });
  }

  return {
    start() {
      stopped = false;
      tick();
    },
    wake(committed) {
      if (committed?.wroteEvents === false) return;
      if (!failing) tick();
    },
    drain: () => serialized(drainNow),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
      surelyHeldUntil = 0;
      await sql`DELETE FROM outbox_relay_lease WHERE name = ${LEASE_NAME} AND holder = ${holder}`.execute(db).catch(() => undefined);
    },
  };
}
