import { sql, type Kysely, type Selectable } from '@shop/db';
import type { SandboxDatabase } from './schema.js';

type Db = Kysely<SandboxDatabase>;
type EventRow = Selectable<SandboxDatabase['events']>;

/** The webhook event types the sandbox sends. */
export type EventType = 'payment.captured' | 'payment.capture_failed' | 'payment.refunded' | 'payment.refund_failed' | 'payment.approval_cancelled';

/** An event is about an authorization, a PayPal approval, or both (the capture an approval became). */
export interface NewEvent {
  id: string;
  authorizationId: string | null;
  approvalId: string | null;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: Date;
  correlationId: string | null;
}

/** A stored event and how its delivery is going. */
export interface StoredEvent extends NewEvent {
  seq: number;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
}

const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  seq: row.seq,
  authorizationId: row.authorization_id,
  approvalId: row.approval_id,
  type: row.type as EventType,
  data: row.data as Record<string, unknown>,
  createdAt: row.created_at,
  correlationId: row.correlation_id,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  deliveredAt: row.delivered_at,
  lastError: row.last_error,
});

// Transactions that stored events; weak, so a finished transaction is forgotten with it.
const withEvents = new WeakSet<object>();

/** Whether the transaction stored events (so the delivery job has something to send once it commits). */
export function storedEvents(tx: Db): boolean {
  return withEvents.has(tx);
}

/** Stores an event; called in the transaction of the change it tells of, so neither exists without the other. */
export async function insertEvent(db: Db, event: NewEvent): Promise<void> {
  withEvents.add(db);
  await db
    .insertInto('events')
    .values({
      id: event.id,
      authorization_id: event.authorizationId,
      approval_id: event.approvalId,
      type: event.type,
      data: JSON.stringify(event.data),
      created_at: event.createdAt,
      correlation_id: event.correlationId,
    })
    .execute();
}

/**
 * The oldest undelivered event that is due and has no older undelivered event of its authorization
 * before it (events of one authorization go out in order, a failing one holds back the rest),
 * locked until the transaction ends. Events another replica has locked are skipped, so no event is
 * sent by two at once. An event with no authorization (a PayPal approval's cancellation, the only
 * event of its approval) waits for none: NULL equals nothing. `more` says whether another
 * undelivered event was due as well, so the caller knows whether to ask again.
 */
export async function claimNextDueEvent(db: Db): Promise<{ event: StoredEvent; more: boolean } | undefined> {
  const { rows } = await sql<EventRow & { more: boolean }>`
    SELECT e.*, EXISTS (
        SELECT 1 FROM events other WHERE other.delivered_at IS NULL AND other.next_attempt_at <= now() AND other.seq <> e.seq) AS more
    FROM events e
    WHERE e.delivered_at IS NULL AND e.next_attempt_at <= now()
      AND NOT EXISTS (
        SELECT 1 FROM events older
        WHERE older.authorization_id = e.authorization_id AND older.delivered_at IS NULL AND older.seq < e.seq)
    ORDER BY e.seq
    LIMIT 1
    FOR UPDATE OF e SKIP LOCKED`.execute(db);
  const row = rows[0];
  return row && { event: toEvent(row), more: row.more };
}

export async function markDelivered(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('events')
    .set((eb) => ({ delivered_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

export async function markAttemptFailed(db: Db, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable('events')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500), next_attempt_at: nextAttemptAt }))
    .where('id', '=', id)
    .execute();
}

export async function findEvent(db: Db, id: string): Promise<StoredEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEvent(row);
}

export interface EventQuery {
  /** Only events stored after the one with this seq. */
  afterSeq?: number;
  authorizationId?: string;
  approvalId?: string;
  limit: number;
}

/** Events in the order they were stored. */
export async function listEvents(db: Db, query: EventQuery): Promise<StoredEvent[]> {
  let select = db.selectFrom('events').selectAll();
  if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
  if (query.authorizationId !== undefined) select = select.where('authorization_id', '=', query.authorizationId);
  if (query.approvalId !== undefined) select = select.where('approval_id', '=', query.approvalId);
  const rows = await select.orderBy('seq').limit(query.limit).execute();
  return rows.map(toEvent);
}
