import type { OrderPlacedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findPaymentByOrder, updatePayment } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { publishPaymentFailed } from './capture-outcome.js';
import type { PaymentDeps } from './deps.js';

/**
 * On `order.placed`: the order exists, so its authorization is to be captured. The capture is
 * recorded here, in the consumer's transaction; the provider job asks the provider right after the
 * commit (no network call while a transaction is open) and again until it answers. A PayPal
 * payment is never captured here: the provider captures it when the shopper approves.
 */
export async function requestCapture(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, order: Pick<OrderPlacedV1, 'orderId' | 'totalAmount'>): Promise<void> {
  const payment = await findPaymentByOrder(tx, order.orderId, { forUpdate: true });
  if (!payment) {
    deps.logger.warn('an order was placed without a payment here; nothing to capture', { orderId: order.orderId });
    return;
  }
  // A late or redelivered order.placed: what the cancellation did not give back is not taken now.
  if (payment.cancelRequestedAt) {
    deps.logger.info('an order was placed whose cancellation came first; nothing to capture', { orderId: order.orderId, status: payment.status });
    return;
  }
  if (payment.method === 'paypal') {
    deps.logger.info("an order was placed whose PayPal payment is captured by the shopper's approval; nothing to capture", { orderId: order.orderId, status: payment.status });
    return;
  }
  const at = deps.now();
  if (payment.status === 'authorized') {
    await updatePayment(tx, payment.id, { status: 'capture_requested', next_attempt_at: at, attempts: 0 }, at);
    return;
  }
  // Never expected: the checkout voids a payment only before its order exists.
  if (!['capture_requested', 'captured', 'capture_failed', 'refunding', 'refunded', 'refund_failed'].includes(payment.status)) {
    deps.logger.error('an order was placed whose payment cannot be captured', { orderId: order.orderId, status: payment.status });
    await publishPaymentFailed(deps, tx, { ...payment, amount: payment.amount ?? order.totalAmount }, `payment_${payment.status}`, at);
  }
}
