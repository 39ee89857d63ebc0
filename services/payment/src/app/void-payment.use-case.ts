import { randomUUID } from 'node:crypto';
import type { Transaction } from '@shop/db';
import { findPaymentByOrder, insertPayment, updatePayment } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { assertVoidable, type Payment } from '../domain/payment.js';
import { recordApproved } from './approval-outcome.js';
import { publishVoided } from './cancellation-outcome.js';
import { recordCaptured } from './capture-outcome.js';
import type { PaymentDeps } from './deps.js';
import { toPaymentView } from './payment-view.js';
import { withdrawApprovals } from './withdraw-approvals.js';

/**
 * The checkout saga's undo of an authorization (also after a crash, when it cannot know whether the
 * authorization happened). The void is recorded at once and answered `voiding`; the provider is
 * asked now and, if it cannot be reached, by the provider job until it confirms. Idempotent: a
 * voided payment stays voided. An order with no payment yet gets a voided one, so an authorization
 * arriving late is voided as well. A captured payment is refunded, never voided: 409 CONFLICT.
 */
export async function voidPayment(deps: PaymentDeps, orderId: string) {
  const at = deps.now();
  const payment = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, orderId, { forUpdate: true });
    if (!current) {
      const tombstone = await insertPayment(tx, { id: randomUUID(), orderId, customerId: null, method: 'card', amount: null, status: 'voided' }, at);
      return tombstone ?? (await findPaymentByOrder(tx, orderId));
    }
    if (current.status === 'voided' || current.status === 'voiding') return current;
    assertVoidable(current);
    // A declined card left nothing at the provider; an error or timeout may have.
    if (current.status === 'failed' && current.failureReason !== 'provider_error') return updatePayment(tx, current.id, { status: 'voided', voided_at: at }, at);
    // Asked of the provider right below; the job takes it over only if that fails.
    return updatePayment(tx, current.id, { status: 'voiding', next_attempt_at: new Date(at.getTime() + deps.config.PROVIDER_JOB_INTERVAL_MS) }, at);
  });
  if (payment?.status !== 'voiding') return toPaymentView(payment as Payment);
  return toPaymentView(await settleVoid(deps, payment).catch(() => payment));
}

/**
 * Voids at the provider what it holds for the order: the known authorization, or whatever it made
 * for the order's reference when the answer was lost (a PayPal payment's: its approval, withdrawn).
 * Then the payment is voided; a cancelled order's payment publishes `payment.voided` the first
 * time. A cancelled order's capture that reached the provider before the void did (or its PayPal
 * approval the shopper gave first) is recorded captured and refunded instead.
 */
export async function settleVoid(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  if (payment.method === 'paypal') return settleWithdrawal(deps, payment);
  const authorizationIds = payment.providerAuthorizationId
    ? [payment.providerAuthorizationId]
    : (await deps.provider.authorizationsFor(payment.orderId)).filter((a) => a.status === 'authorized').map((a) => a.authorizationId);
  const captured: string[] = [];
  for (const authorizationId of authorizationIds) {
    if ((await deps.provider.void({ authorizationId, idempotencyKey: `void-${authorizationId}` })) === 'captured') captured.push(authorizationId);
  }
  const settled = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (current?.status !== 'voiding') return current ?? payment;
    // An authorization that arrived while the provider was asked is voided on the next round.
    if (current.providerAuthorizationId && !authorizationIds.includes(current.providerAuthorizationId)) return current;
    const at = deps.now();
    if (captured.length > 0) {
      if (current.cancelRequestedAt && current.providerAuthorizationId && captured.includes(current.providerAuthorizationId)) {
        deps.logger.warn('the capture of a cancelled order reached the provider before its void; the money is refunded', { orderId: current.orderId });
        return recordCaptured(deps, tx, current, at);
      }
      throw new Error(`the provider captured what payment ${current.id} was to void`);
    }
    deps.logger.info('payment voided', { orderId: payment.orderId, authorizations: authorizationIds.length });
    return recordVoided(deps, tx, current, at);
  });
  if (settled.status === 'refunding') deps.wakeProviderJob();
  return settled;
}

/** A PayPal payment nothing was authorized for: its approval is withdrawn, so nobody can approve it any more. */
async function settleWithdrawal(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  const { withdrawn, approved } = await withdrawApprovals(deps, payment);
  const settled = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (current?.status !== 'voiding') return current ?? payment;
    const at = deps.now();
    if (approved) {
      deps.logger.warn('the shopper approved a PayPal payment before it was withdrawn; it is recorded captured, and refunded if its order was cancelled', { orderId: current.orderId });
      return recordApproved(deps, tx, current, approved, at);
    }
    // An approval stored while the provider was asked is withdrawn on the next round.
    if (current.paypalApprovalId && !withdrawn.includes(current.paypalApprovalId)) return current;
    deps.logger.info('PayPal payment withdrawn', { orderId: payment.orderId, approvals: withdrawn.length });
    return recordVoided(deps, tx, current, at);
  });
  if (settled.status === 'refunding') deps.wakeProviderJob();
  return settled;
}

/** The payment is voided; a cancelled order's publishes `payment.voided` (a late authorization voided in turn is the same cancellation: told once). */
async function recordVoided(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, current: Payment, at: Date): Promise<Payment> {
  const voided = await updatePayment(tx, current.id, { status: 'voided', voided_at: at, next_attempt_at: null }, at);
  if (voided.cancelRequestedAt && !current.voidedAt) await publishVoided(deps, tx, voided, at);
  return voided;
}
