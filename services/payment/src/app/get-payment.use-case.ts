import { assertFound } from '@shop/platform';
import { findPaymentByOrder } from '../db/payment.repository.js';
import type { PaymentDeps } from './deps.js';
import { toPaymentView } from './payment-view.js';

/** The payment of an order, as the order service and operators see it. */
export async function getPayment(deps: PaymentDeps, orderId: string) {
  const payment = await findPaymentByOrder(deps.db, orderId);
  assertFound(payment, 'PAYMENT_NOT_FOUND', 'this order has no payment', { orderId });
  return toPaymentView(payment);
}
