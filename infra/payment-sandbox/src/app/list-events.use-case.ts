import type { Kysely } from '@shop/db';
import { findEvent, listEvents, type StoredEvent } from '../db/event.repository.js';
import type { SandboxDatabase } from '../db/schema.js';
import { ProviderError } from '../errors.js';

export interface EventListQuery {
  /** Only events stored after this one. */
  after?: string;
  authorizationId?: string;
  approvalId?: string;
  limit: number;
}

/** Stored events in the order they were stored, a page at a time (for debugging and tests). */
export async function listStoredEvents(db: Kysely<SandboxDatabase>, query: EventListQuery): Promise<{ events: StoredEvent[]; hasMore: boolean }> {
  let afterSeq: number | undefined;
  if (query.after !== undefined) {
    const after = await findEvent(db, query.after);
    if (!after) throw new ProviderError('not_found', `no event ${query.after}`);
    afterSeq = after.seq;
  }
  const events = await listEvents(db, { afterSeq, authorizationId: query.authorizationId, approvalId: query.approvalId, limit: query.limit + 1 });
  return { events: events.slice(0, query.limit), hasMore: events.length > query.limit };
}
