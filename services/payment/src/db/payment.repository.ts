import type { Kysely, Selectable, Updateable } from '@shop/db';
import type { Payment } from '../domain/payment.js';
import type { PaymentDatabase } from './schema.js';

type Db = Kysely<PaymentDatabase>;
type PaymentRow = Selectable<PaymentDatabase['payments']>;

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  orderId: row.order_id,
  customerId: row.customer_id,
  method: row.method,
  amount: row.amount === null || row.currency === null ? null : { amount: Number(row.amount), currency: row.currency },
  status: row.status,
  providerAuthorizationId: row.provider_authorization_id,
  brand: row.brand,
  last4: row.last4,
  failureReason: row.failure_reason,
  paypalApprovalId: row.paypal_approval_id,
  paypalApprovalUrl: row.paypal_approval_url,
  approvalRequestedAt: row.approval_requested_at,
  attempts: row.attempts,
  version: row.version,
  authorizedAt: row.authorized_at,
  captureSentAt: row.capture_sent_at,
  capturedAt: row.captured_at,
  voidedAt: row.voided_at,
  cancelRequestedAt: row.cancel_requested_at,
  refundId: row.refund_id,
  refundedAt: row.refunded_at,
});

export interface NewPayment {
  id: string;
  orderId: string;
  customerId: string | null;
  method: Payment['method'];
  amount: Payment['amount'];
  status: 'authorizing' | 'awaiting_approval' | 'voided';
  /** When the provider job is to look at it first (an approval's deadline). */
  nextAttemptAt?: Date;
}

/** Inserts the order's payment unless it has one; undefined when it had. */
export async function insertPayment(db: Db, payment: NewPayment, at: Date): Promise<Payment | undefined> {
  const row = await db
    .insertInto('payments')
    .values({
      id: payment.id,
      order_id: payment.orderId,
      customer_id: payment.customerId,
      method: payment.method,
      amount: payment.amount?.amount ?? null,
      currency: payment.amount?.currency ?? null,
      status: payment.status,
      voided_at: payment.status === 'voided' ? at : null,
      next_attempt_at: payment.nextAttemptAt ?? null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toPayment(row);
}

export async function findPaymentByOrder(db: Db, orderId: string, options: { forUpdate?: boolean } = {}): Promise<Payment | undefined> {
  let query = db.selectFrom('payments').selectAll().where('order_id', '=', orderId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toPayment(row);
}

export async function findPaymentByAuthorization(db: Db, authorizationId: string, options: { forUpdate?: boolean } = {}): Promise<Payment | undefined> {
  let query = db.selectFrom('payments').selectAll().where('provider_authorization_id', '=', authorizationId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toPayment(row);
}

export async function findPaymentByApproval(db: Db, approvalId: string, options: { forUpdate?: boolean } = {}): Promise<Payment | undefined> {
  let query = db.selectFrom('payments').selectAll().where('paypal_approval_id', '=', approvalId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toPayment(row);
}

export type PaymentChanges = Omit<Updateable<PaymentDatabase['payments']>, 'id' | 'order_id' | 'version' | 'created_at'>;

/** Changes a payment and bumps its version, the version its events carry. */
export async function updatePayment(db: Db, id: string, changes: PaymentChanges, at: Date): Promise<Payment> {
  const row = await db
    .updateTable('payments')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPayment(row);
}

/**
 * The provider took the capture request: the payment waits for its webhook until `nextAttemptAt`
 * (then the job asks how it went), unless it moved on meanwhile (the webhook came first, or a
 * cancellation): then there is nothing to note. One statement, no lock held.
 */
export async function noteCaptureSent(db: Db, id: string, at: Date, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable('payments')
    .set((eb) => ({ capture_sent_at: at, next_attempt_at: nextAttemptAt, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('status', '=', 'capture_requested')
    .execute();
}

/**
 * Puts a payment's next attempt off after a failed one, unless it moved on meanwhile (a webhook or
 * a cancellation changed its status while the provider was asked): then its new step keeps its time.
 */
export async function deferAttempt(db: Db, id: string, status: Payment['status'], changes: Pick<PaymentChanges, 'attempts' | 'next_attempt_at'>, at: Date): Promise<void> {
  await db
    .updateTable('payments')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('status', '=', status)
    .execute();
}

/** The statuses the provider job has work for, each once its next attempt is due. */
export type DueStatus = 'awaiting_approval' | 'capture_requested' | 'voiding' | 'refunding';

/**
 * Claims up to `limit` payments in any of these statuses whose next attempt is due, the longest
 * due first, in one statement: each gets its next attempt `leaseMs` on, so another replica's job
 * does not take them meanwhile, and one whose worker died is taken again once the lease is over.
 * No lock is held while the provider is asked.
 */
export async function claimDue(db: Db, statuses: readonly DueStatus[], at: Date, leaseMs: number, limit: number): Promise<Payment[]> {
  const rows = await db
    .updateTable('payments')
    .set({ next_attempt_at: new Date(at.getTime() + leaseMs) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('payments')
        .select('id')
        .where('status', 'in', [...statuses])
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map(toPayment);
}

/** Records a provider event by its id; false when it was recorded before (a replay). */
export async function recordProviderEvent(db: Db, event: { eventId: string; type: string; orderId: string | null }, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('provider_events')
    .values({ event_id: event.eventId, type: event.type, order_id: event.orderId, received_at: at })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}
