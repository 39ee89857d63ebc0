import { orderShipped } from '@shop/contracts';
import { isUniqueViolation } from '@shop/db';
import { AppError, assertFound } from '@shop/platform';
import { findOrder, statusHistoryOf, updateOrder } from '../db/order.repository.js';
import { assertTransition, orderAggregate } from '../domain/order.js';
import type { OrderDeps } from './deps.js';
import { toAdminOrderView } from './order-view.js';

export interface ShipOrderInput {
  orderId: string;
  trackingNumber: string;
  carrier: string;
  /** The admin or fulfilment staff member shipping it. */
  by: string;
}

/**
 * SEQ-ORDER-003 (CMD-ORDER-003): a CONFIRMED order leaves the warehouse. The inventory deducts its
 * stock first (idempotent by order id): it is the one place a shipment and a cancellation of the
 * order meet, so whichever reaches it first wins and the other is refused (a released reservation
 * cannot be deducted). Then, under the order's row lock, CONFIRMED -> SHIPPED with the tracking
 * number and `order.shipped`; a second ship of the same order finds it SHIPPED and is refused.
 */
export async function shipOrder(deps: OrderDeps, input: ShipOrderInput) {
  const order = await findOrder(deps.db, input.orderId);
  assertFound(order, 'ORDER_NOT_FOUND', 'order not found', { orderId: input.orderId });
  assertTransition(order, 'SHIPPED');
  await deps.inventory.deduct(input.orderId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'CONFLICT') {
      throw new AppError('INVALID_STATUS_TRANSITION', 'the order was cancelled meanwhile; it cannot ship', { orderId: input.orderId, to: 'SHIPPED' });
    }
    throw err;
  });
  try {
    return await deps.transaction(async (tx) => {
      const current = await findOrder(tx, input.orderId, { forUpdate: true });
      assertFound(current, 'ORDER_NOT_FOUND', 'order not found', { orderId: input.orderId });
      assertTransition(current, 'SHIPPED');
      const at = deps.now();
      const shipped = await updateOrder(
        tx,
        current,
        { status: 'SHIPPED', shipment: { trackingNumber: input.trackingNumber, carrier: input.carrier, shippedAt: at } },
        at,
        { from: current.status, to: 'SHIPPED', by: input.by, reason: `shipped with ${input.carrier} ${input.trackingNumber}` },
      );
      await deps.outbox.add(
        tx,
        orderShipped,
        { orderId: shipped.id, orderNumber: shipped.orderNumber, customerId: shipped.customerId, trackingNumber: input.trackingNumber, carrier: input.carrier, shippedAt: at.toISOString() },
        orderAggregate(shipped),
      );
      deps.logger.info('order shipped', { orderId: shipped.id, carrier: input.carrier });
      return toAdminOrderView(shipped, await statusHistoryOf(tx, shipped.id));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'this tracking number belongs to another order', { field: 'trackingNumber' });
    throw err;
  }
}
