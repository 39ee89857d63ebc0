import { paymentRefunded, paymentRefundFailed, paymentVoided, type Money } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { updatePayment, type PaymentChanges } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { canTransition, paymentAggregate, type Payment, type PaymentStatus } from '../domain/payment.js';
import type { PaymentDeps } from './deps.js';

/*
 * What a cancelled order's payment comes to, recorded in the transaction that learnt it (the
 * consumer of order.cancelled, the provider job, or the provider's webhook, whichever is first):
 * each outcome is published once, because only the first one finds the payment in the status it
 * leaves.
 */

/** The held amount is to be released: the provider job voids it (and publishes `payment.voided`). */
export function startVoidOfCancelled(tx: Transaction<PaymentDatabase>, payment: Payment, at: Date, changes: PaymentChanges = {}): Promise<Payment> {
  assertTransition(payment, 'voiding');
  return updatePayment(tx, payment.id, { ...changes, status: 'voiding', next_attempt_at: at, attempts: 0 }, at);
}

/** The captured amount is to be given back: the provider job asks the provider for the refund. */
export async function startRefund(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, at: Date, changes: PaymentChanges = {}): Promise<Payment> {
  assertTransition(payment, 'refunding');
  const refunding = await updatePayment(tx, payment.id, { ...changes, status: 'refunding', next_attempt_at: at, attempts: 0 }, at);
  deps.logger.info('the payment of a cancelled order is to be refunded', { orderId: refunding.orderId });
  return refunding;
}

/** The void of a cancelled order's payment went through: `payment.voided`, the first time only. */
export async function publishVoided(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, voided: Payment, at: Date): Promise<void> {
  await deps.outbox.add(
    tx,
    paymentVoided,
    {
      paymentId: voided.id,
      orderId: voided.orderId,
      ...(voided.customerId && { customerId: voided.customerId }),
      amount: voided.amount as Money,
      ...(voided.providerAuthorizationId && { authorizationId: voided.providerAuthorizationId }),
      paymentMethod: voided.method,
      voidedAt: at.toISOString(),
    },
    paymentAggregate(voided),
  );
  deps.logger.info('the payment of a cancelled order was voided', { orderId: voided.orderId });
}

/** The provider gave the money back: the payment is refunded and `payment.refunded` published, once. */
export async function recordRefunded(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, refund: { refundId: string; amount: Money }, at: Date): Promise<Payment> {
  if (payment.status !== 'refunding') return payment;
  const refunded = await updatePayment(tx, payment.id, { status: 'refunded', refund_id: refund.refundId, refunded_at: at, next_attempt_at: null }, at);
  await deps.outbox.add(
    tx,
    paymentRefunded,
    {
      paymentId: refunded.id,
      orderId: refunded.orderId,
      ...(refunded.customerId && { customerId: refunded.customerId }),
      amount: refund.amount,
      ...(refunded.providerAuthorizationId && { authorizationId: refunded.providerAuthorizationId }),
      paymentMethod: refunded.method,
      refundId: refund.refundId,
      refundedAt: at.toISOString(),
    },
    paymentAggregate(refunded),
  );
  deps.logger.info('the payment of a cancelled order was refunded', { orderId: refunded.orderId, refundId: refund.refundId });
  return refunded;
}

/** The provider refused the refund: `payment.refund-failed` with its reason, once; staff takes it over. */
export async function recordRefundFailed(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, reason: string, at: Date): Promise<Payment> {
  if (payment.status !== 'refunding') return payment;
  const failed = await updatePayment(tx, payment.id, { status: 'refund_failed', failure_reason: reason, failed_at: at, next_attempt_at: null }, at);
  await deps.outbox.add(
    tx,
    paymentRefundFailed,
    {
      paymentId: failed.id,
      orderId: failed.orderId,
      ...(failed.customerId && { customerId: failed.customerId }),
      amount: failed.amount as Money,
      ...(failed.providerAuthorizationId && { authorizationId: failed.providerAuthorizationId }),
      paymentMethod: failed.method,
      reason,
      failedAt: at.toISOString(),
    },
    paymentAggregate(failed),
  );
  deps.logger.warn('the refund of a cancelled order was refused by the provider; it waits for staff', { orderId: failed.orderId, reason });
  return failed;
}

/** A caller's bug, never the provider's or the shopper's: the change is refused (the event is parked). */
function assertTransition(payment: Payment, to: PaymentStatus): void {
  if (!canTransition(payment.status, to)) throw new Error(`payment ${payment.id} cannot go from ${payment.status} to ${to}`);
}

/** A change after which the provider job has work at once (after the commit). */
export function needsProviderJob(payment: Pick<Payment, 'status'> | undefined): boolean {
  return payment?.status === 'voiding' || payment?.status === 'refunding';
}
