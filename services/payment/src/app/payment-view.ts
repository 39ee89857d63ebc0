import { AppError } from '@shop/platform';
import { isVoided, paymentFailed, type Payment } from '../domain/payment.js';

/** A payment as the order service sees it: never more of the card than its brand and last four digits. */
export function toPaymentView(payment: Payment) {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    method: payment.method,
    status: payment.status,
    amount: payment.amount,
    ...(payment.brand && { brand: payment.brand }),
    ...(payment.last4 && { last4: payment.last4 }),
    ...(payment.failureReason && { failureReason: payment.failureReason }),
    authorizedAt: payment.authorizedAt?.toISOString() ?? null,
    capturedAt: payment.capturedAt?.toISOString() ?? null,
    voidedAt: payment.voidedAt?.toISOString() ?? null,
    // Only once the order was cancelled: the view of a payment that was not stays as it was.
    ...(payment.cancelRequestedAt && { cancelRequestedAt: payment.cancelRequestedAt.toISOString() }),
    ...(payment.refundId && { refundId: payment.refundId }),
    ...(payment.refundedAt && { refundedAt: payment.refundedAt.toISOString() }),
  };
}

/** The answer to an authorization asked for: the payment's view, or the error its failure means. */
export function authorizationAnswerOf(payment: Payment) {
  if (payment.status === 'failed') throw paymentFailed(payment.failureReason ?? 'provider_error', payment.orderId);
  if (isVoided(payment)) throw new AppError('CONFLICT', 'the payment of this order was voided', { orderId: payment.orderId });
  return toPaymentView(payment);
}
