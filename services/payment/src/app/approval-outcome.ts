import type { Transaction } from '@shop/db';
import { updatePayment } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { canTransition, type ApprovalFailure, type Payment } from '../domain/payment.js';
import { publishPaymentFailed, recordCaptured } from './capture-outcome.js';
import type { PaymentDeps } from './deps.js';

/*
 * What became of a PayPal payment's approval, recorded in the transaction that learnt it (the
 * provider's webhook, or the provider job's look at the provider): each outcome is published
 * once, because only the first one finds the payment in the status it leaves.
 */

/**
 * The shopper approved at the provider, which captured the money at once: the payment names the
 * provider's authorization (refunds go to it) and is captured, `payment.captured` published once.
 * A cancelled order's is then refunded (the caller wakes the job).
 */
export async function recordApproved(
  deps: PaymentDeps,
  tx: Transaction<PaymentDatabase>,
  payment: Payment,
  approval: { approvalId: string; authorizationId: string },
  at: Date,
): Promise<Payment> {
  if (payment.status === 'captured' || payment.capturedAt) return payment;
  if (!canTransition(payment.status, 'captured')) {
    deps.logger.error('the shopper approved a PayPal payment the shop no longer awaits; the money was taken and is for staff to give back', {
      orderId: payment.orderId,
      status: payment.status,
      approvalId: approval.approvalId,
    });
    return payment;
  }
  const named = await updatePayment(
    tx,
    payment.id,
    { provider_authorization_id: approval.authorizationId, paypal_approval_id: payment.paypalApprovalId ?? approval.approvalId, brand: 'paypal', authorized_at: at },
    at,
  );
  deps.logger.info('the shopper approved a PayPal payment', { orderId: named.orderId, approvalId: approval.approvalId });
  return recordCaptured(deps, tx, named, at);
}

/**
 * The shopper cancelled at the provider, or nobody approved in time: the payment failed with that
 * reason and `payment.failed` tells the order service, which cancels the order. Only a payment
 * still awaiting approval fails: one withdrawn for a cancelled order, approved or failed already
 * stays as it is.
 */
export async function recordApprovalFailed(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, payment: Payment, reason: ApprovalFailure, at: Date): Promise<Payment> {
  if (payment.status !== 'awaiting_approval') {
    deps.logger.info('a PayPal approval ended for a payment that no longer awaits it; nothing changes', { orderId: payment.orderId, status: payment.status, reason });
    return payment;
  }
  const failed = await updatePayment(tx, payment.id, { status: 'failed', failure_reason: reason, failed_at: at, next_attempt_at: null }, at);
  await publishPaymentFailed(deps, tx, failed, reason, at);
  deps.logger.info('a PayPal payment failed; its order is to be cancelled', { orderId: failed.orderId, reason });
  return failed;
}
