import { paymentCaptured, paymentFailed, type Money } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { updatePayment } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { canTransition, paymentAggregate, type Payment } from '../domain/payment.js';
import { startRefund, startVoidOfCancelled } from './cancellation-outcome.js';
import type { PaymentDeps } from './deps.js';

/**
 * The provider captured the money (its webhook, the job's check when the webhook is overdue, or a
 * void that came too late): the payment is captured and `payment.captured` published, once. When
 * the order was cancelled meanwhile, the money is then refunded (the caller wakes the job).
 */
export async function recordCaptured(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, at: Date): Promise<Payment> {
  // Recorded before: captured, or refunded (or being refunded) since.
  if (payment.status === 'captured' || payment.capturedAt) return payment;
  if (!canTransition(payment.status, 'captured')) {
    deps.logger.error('the provider captured a payment the shop does not hold for capture', { orderId: payment.orderId, status: payment.status });
    return payment;
  }
  const captured = await updatePayment(tx, payment.id, { status: 'captured', captured_at: at, next_attempt_at: null }, at);
  await deps.outbox.add(
    tx,
    paymentCaptured,
    {
      paymentId: captured.id,
      orderId: captured.orderId,
      ...(captured.customerId && { customerId: captured.customerId }),
      amount: captured.amount as Money,
      authorizationId: captured.providerAuthorizationId as string,
      paymentMethod: captured.method,
      capturedAt: at.toISOString(),
    },
    paymentAggregate(captured),
  );
  deps.logger.info('payment captured', { orderId: captured.orderId });
  if (captured.cancelRequestedAt) return startRefund(deps, tx, captured, at);
  return captured;
}

/**
 * The provider refused the capture: `payment.failed`, and the order waits for an admin. When the
 * order was cancelled meanwhile, nobody waits for it: the authorization is voided instead.
 */
export async function recordCaptureFailed(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, reason: string, at: Date): Promise<Payment> {
  if (payment.status !== 'capture_requested' && payment.status !== 'authorized') return payment;
  if (payment.cancelRequestedAt) {
    deps.logger.info('the capture of a cancelled order failed; its authorization is voided', { orderId: payment.orderId, reason });
    return startVoidOfCancelled(tx, payment, at, { failure_reason: reason, failed_at: at });
  }
  const failed = await updatePayment(tx, payment.id, { status: 'capture_failed', failure_reason: reason, failed_at: at, next_attempt_at: null }, at);
  await publishPaymentFailed(deps, tx, failed, reason, at);
  deps.logger.warn('the capture of a payment failed; the order waits for an admin', { orderId: failed.orderId, reason });
  return failed;
}

/** `payment.failed` for the order service (and an admin) to act on. */
export async function publishPaymentFailed(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, reason: string, at: Date): Promise<void> {
  await deps.outbox.add(
    tx,
    paymentFailed,
    {
      paymentId: payment.id,
      orderId: payment.orderId,
      ...(payment.customerId && { customerId: payment.customerId }),
      amount: payment.amount as Money,
      ...(payment.providerAuthorizationId && { authorizationId: payment.providerAuthorizationId }),
      paymentMethod: payment.method,
      reason,
      failedAt: at.toISOString(),
    },
    paymentAggregate(payment),
  );
}
