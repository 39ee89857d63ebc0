import { randomUUID } from 'node:crypto';
import { sql, type Generated, type Kysely, type Transaction } from 'kysely';
import { routingKeyOf, type AggregateRef, type EventContract, type EventEnvelope } from '@shop/contracts';
import { currentContext } from '@shop/platform';

export interface OutboxTables {
  outbox: {
    id: Generated<number>;
    event_id: string;
    routing_key: string;
    envelope: EventEnvelope;
    created_at: Generated<Date>;
    sent_at: Date | null;
  };
}

/**
 * Writes events into the outbox inside the caller's transaction, so a state change and its
 * events commit together or not at all. Each event names the aggregate it is about and that
 * aggregate's version after the change.
 */
export interface Outbox {
  add<D>(tx: Transaction<any>, contract: EventContract<D>, data: D, aggregate: AggregateRef): Promise<EventEnvelope<D>>;
}

export function createOutbox(source: string): Outbox {
  return {
    async add(tx, contract, data, aggregate) {
      const envelope = buildEnvelope(source, contract, data, aggregate);
      await (tx as Transaction<OutboxTables>)
        .insertInto('outbox')
        .values({ event_id: envelope.id, routing_key: routingKeyOf(envelope), envelope: JSON.stringify(envelope) as never })
        .execute();
      withEvents.add(tx);
      return envelope;
    },
  };
}

// Transactions that wrote outbox rows; weak, so a finished transaction is forgotten with it.
const withEvents = new WeakSet<object>();

/** Whether the transaction wrote outbox rows (so there is something for the relay once it commits). */
export function wroteEvents(tx: Transaction<any>): boolean {
  return withEvents.has(tx);
}

/** What a commit tells those who wait for it (the outbox relay above all). */
export interface Committed {
  /** The transaction wrote outbox rows; false: the relay has nothing new to publish from it. */
  wroteEvents: boolean;
}

/**
 * A new envelope for an event of this service. The payload is validated against its contract on
 * publish, so an invalid event fails the use case instead of reaching consumers.
 */
export function buildEnvelope<D>(source: string, contract: EventContract<D>, data: D, aggregate: AggregateRef): EventEnvelope<D> {
  const { value, error } = contract.schema.validate(data, { abortEarly: false });
  if (error) throw new Error(`event ${contract.type}.v${contract.version} is invalid: ${error.message}`);
  const context = currentContext();
  return {
    id: randomUUID(),
    type: contract.type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    source,
    correlationId: context.correlationId,
    causationId: context.causationId,
    aggregate: { type: aggregate.type, id: aggregate.id, version: aggregate.version },
    data: value as D,
  };
}

/** Unsent outbox rows, for tests and operators. */
export async function countUnsent(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Seconds since the oldest unsent outbox row was written, 0 when none waits: how far the relay is
 * behind. One row, read through the relay's own partial index on unsent ids (ids grow with time).
 */
export async function oldestUnsentAgeSeconds(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ age: number }>`
    SELECT extract(epoch FROM clock_timestamp() - created_at)::float8 AS age
    FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1`.execute(db);
  return Math.max(0, rows[0]?.age ?? 0);
}
