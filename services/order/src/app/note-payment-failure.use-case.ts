import type { PaymentFailedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrder, updateOrder } from '../db/order.repository';
import type { OrderDatabase } from '../db/schema';
import type { OrderDeps } from './deps';

/**
 * On `payment.failed`: a placed order whose capture failed keeps its status and shows the payment
 * failed, for an admin to act on. A refused authorization (no order was ever made) needs nothing.
 */
export async function notePaymentFailure(deps: OrderDeps, tx: Transaction<OrderDatabase>, payment: PaymentFailedV1): Promise<void> {
  const order = await findOrder(tx, payment.orderId, { forUpdate: true });
  if (!order) return;
  if (order.payment.status === 'captured') return;
  await updateOrder(tx, order, { payment: { ...order.payment, status: 'failed' } }, deps.now());
  deps.logger.warn('the payment of an order failed; it waits for an admin', { orderId: order.id, orderNumber: order.orderNumber, reason: payment.reason });
}
