import type { PaymentFailedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrder, updateOrder } from '../db/order.repository.js';
import type { OrderDatabase } from '../db/schema.js';
import { isAbandonedPayPalOrder } from '../domain/order.js';
import type { OrderDeps } from './deps.js';

/**
 * On `payment.failed`: a placed order whose capture failed keeps its status and shows the payment
 * failed, for an admin to act on. A PayPal-style approval the shopper cancelled or let run out
 * marks the order for cancellation (the abandoned-orders job releases its stock; no network call
 * happens in the consumer's transaction). A refused authorization (no order was made) needs nothing.
 */
export async function notePaymentFailure(deps: OrderDeps, tx: Transaction<OrderDatabase>, payment: PaymentFailedV1): Promise<void> {
  const order = await findOrder(tx, payment.orderId, { forUpdate: true });
  if (!order || order.payment.status === 'captured') return;
  const updated = await updateOrder(tx, order, { payment: { ...order.payment, status: 'failed', failureReason: payment.reason } }, deps.now());
  if (isAbandonedPayPalOrder(updated)) {
    deps.logger.info('a PayPal-style approval was not given; the order will be cancelled', { orderId: order.id, reason: payment.reason });
    return;
  }
  deps.logger.warn('the payment of an order failed; it waits for an admin', { orderId: order.id, orderNumber: order.orderNumber, reason: payment.reason });
}
