import { sql, type Kysely } from '@shop/db';
import type { EventEnvelope } from '@shop/contracts';
import type { EventTap } from './event-tap.js';
import { eventually } from './wait.js';

/** The envelopes of one type a service wrote to its outbox, oldest first (what it meant to publish). */
export async function outboxEvents<D = Record<string, any>>(db: Kysely<any>, type: string): Promise<EventEnvelope<D>[]> {
  const { rows } = await sql<{ envelope: EventEnvelope<D> }>`SELECT envelope FROM outbox WHERE envelope->>'type' = ${type} ORDER BY id`.execute(db);
  return rows.map((r) => r.envelope);
}

/** A started service as far as its published events go. */
export interface PublishingService {
  deps: { db: Kysely<any> };
  drainOutbox(): Promise<number>;
}

/**
 * The events of one type a service published, oldest first: what its outbox holds, returned only
 * once the broker has delivered every one of them to the tap. A relay that does not publish fails
 * the test instead of passing it.
 */
export async function publishedEvents<D = Record<string, any>>(service: PublishingService, tap: EventTap, type: string, timeoutMs = 5_000): Promise<EventEnvelope<D>[]> {
  await service.drainOutbox();
  const written = await outboxEvents<D>(service.deps.db, type);
  await eventually(() => written.every((e) => tap.events().some((t) => t.id === e.id)), timeoutMs, `${written.length} ${type} events on the broker`);
  return written;
}
