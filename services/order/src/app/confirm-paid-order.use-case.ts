import { orderConfirmed, type PaymentCapturedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrder, updateOrder } from '../db/order.repository.js';
import type { OrderDatabase } from '../db/schema.js';
import { orderAggregate } from '../domain/order.js';
import type { OrderDeps } from './deps.js';

/**
 * SEQ-ORDER-002 on `payment.captured`: the money is taken, so a PENDING order is CONFIRMED (by the
 * system), its history noted and `order.confirmed` published. An order confirmed already (an admin
 * was quicker) only notes the payment; a redelivered event changes nothing (the inbox).
 */
export async function confirmPaidOrder(deps: OrderDeps, tx: Transaction<OrderDatabase>, payment: PaymentCapturedV1): Promise<void> {
  const order = await findOrder(tx, payment.orderId, { forUpdate: true });
  if (!order) {
    deps.logger.warn('a payment was captured for an order that does not exist', { orderId: payment.orderId });
    return;
  }
  const at = deps.now();
  const paid = { ...order.payment, status: 'captured' };
  if (order.status !== 'PENDING') {
    if (order.status === 'CANCELLED') deps.logger.warn('a cancelled order was paid; it needs a refund', { orderId: order.id });
    await updateOrder(tx, order, { payment: paid }, at);
    return;
  }
  const confirmed = await updateOrder(tx, order, { status: 'CONFIRMED', payment: paid, confirmedAt: at }, at, { from: 'PENDING', to: 'CONFIRMED', by: null, reason: 'payment captured' });
  await deps.outbox.add(
    tx,
    orderConfirmed,
    { orderId: confirmed.id, orderNumber: confirmed.orderNumber, customerId: confirmed.customerId, confirmedBy: null, confirmedAt: at.toISOString() },
    orderAggregate(confirmed),
  );
  deps.logger.info('order confirmed: payment captured', { orderId: confirmed.id, orderNumber: confirmed.orderNumber });
}
