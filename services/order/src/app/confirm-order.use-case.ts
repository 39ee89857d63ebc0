import { orderConfirmed } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { findOrder, statusHistoryOf, updateOrder } from '../db/order.repository.js';
import { assertTransition, orderAggregate } from '../domain/order.js';
import type { OrderDeps } from './deps.js';
import { toAdminOrderView } from './order-view.js';

/** SEQ-ORDER-002 by hand: an admin confirms a PENDING order (409 INVALID_STATUS_TRANSITION otherwise). */
export async function confirmOrder(deps: OrderDeps, orderId: string, adminId: string) {
  return deps.transaction(async (tx) => {
    const order = await findOrder(tx, orderId, { forUpdate: true });
    assertFound(order, 'ORDER_NOT_FOUND', 'order not found', { orderId });
    assertTransition(order, 'CONFIRMED');
    const at = deps.now();
    const confirmed = await updateOrder(tx, order, { status: 'CONFIRMED', confirmedAt: at }, at, { from: order.status, to: 'CONFIRMED', by: adminId, reason: 'confirmed by an admin' });
    await deps.outbox.add(
      tx,
      orderConfirmed,
      { orderId, orderNumber: order.orderNumber, customerId: order.customerId, confirmedBy: adminId, confirmedAt: at.toISOString() },
      orderAggregate(confirmed),
    );
    deps.logger.info('order confirmed by an admin', { orderId, adminId });
    return toAdminOrderView(confirmed, await statusHistoryOf(tx, orderId));
  });
}
