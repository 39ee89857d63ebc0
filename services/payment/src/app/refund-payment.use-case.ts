import { findPaymentByOrder } from '../db/payment.repository.js';
import { refundAmountOf, type Payment } from '../domain/payment.js';
import { recordRefunded, recordRefundFailed } from './cancellation-outcome.js';
import type { PaymentDeps } from './deps.js';

/**
 * The provider job's refund of a cancelled order's captured payment (CMD-PAY-002): what was
 * captured is asked back from the provider, with one idempotency key per order, so a retry after a
 * lost answer gives nothing back twice. The payment is then `refunded`, or `refund_failed` when the
 * provider refused; if the provider's webhook told first, that outcome stands.
 */
export async function settleRefund(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  const { amount } = refundAmountOf(payment.amount!, undefined);
  const outcome = await deps.provider.refund({ authorizationId: payment.providerAuthorizationId as string, amount, idempotencyKey: `refund-${payment.orderId}` });
  return deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (!current) return payment;
    if (current.status !== 'refunding') {
      deps.logger.info("the provider's webhook told the refund's outcome before its answer came", { orderId: current.orderId, status: current.status });
      return current;
    }
    const at = deps.now();
    if (outcome.outcome === 'refunded') return recordRefunded(deps, tx, current, { refundId: outcome.refundId, amount: outcome.amount }, at);
    return recordRefundFailed(deps, tx, current, outcome.reason, at);
  });
}
