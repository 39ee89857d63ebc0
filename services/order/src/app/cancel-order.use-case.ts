import { orderCancelled } from '@shop/contracts';
import { AppError, assertFound } from '@shop/platform';
import { findOrder, statusHistoryOf, updateOrder } from '../db/order.repository.js';
import { assertCancellable, orderAggregate, refundAmountOf, toEventLine, type Order } from '../domain/order.js';
import type { OrderDeps } from './deps.js';

export interface CancelOrderInput {
  orderId: string;
  reason: string;
  /** Who cancels: the customer (only their own order) or a member of staff. */
  by: { customerId: string } | { adminId: string } | 'system';
}

/**
 * SEQ-ORDER-005 (CMD-ORDER-004): a PENDING or CONFIRMED order is cancelled (409
 * CANCELLATION_NOT_ALLOWED otherwise). Its stock is released first, at the inventory (idempotent):
 * a shipment that got there first has deducted it, and the cancellation is refused. Then, under the
 * order's row lock, -> CANCELLED with `order.cancelled` (reason, lines, what is refunded); the payment
 * service voids a payment only held, or refunds one captured, and says so by event.
 */
export async function cancelOrder(deps: OrderDeps, input: CancelOrderInput): Promise<{ order: Order; history: Awaited<ReturnType<typeof statusHistoryOf>> }> {
  const found = await findOrder(deps.db, input.orderId);
  const order = found && ownedBy(found, input.by) ? found : undefined;
  assertFound(order, 'ORDER_NOT_FOUND', 'order not found', { orderId: input.orderId });
  assertCancellable(order);
  await deps.inventory.release(input.orderId, `order cancelled: ${input.reason}`).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'CONFLICT') {
      throw new AppError('CANCELLATION_NOT_ALLOWED', 'the order has shipped meanwhile', { orderId: input.orderId, status: 'SHIPPED' });
    }
    throw err;
  });
  return deps.transaction(async (tx) => {
    const current = await findOrder(tx, input.orderId, { forUpdate: true });
    assertFound(current, 'ORDER_NOT_FOUND', 'order not found', { orderId: input.orderId });
    assertCancellable(current);
    const at = deps.now();
    const refundAmount = refundAmountOf(current);
    const payment = refundAmount.amount > 0 ? { ...current.payment, refund: { status: 'pending' as const, amount: refundAmount } } : current.payment;
    const actor = actorOf(input.by);
    const cancelled = await updateOrder(tx, current, { status: 'CANCELLED', payment, cancellation: { cancelledAt: at, reason: input.reason } }, at, {
      from: current.status,
      to: 'CANCELLED',
      by: actor,
      reason: input.reason,
    });
    await deps.outbox.add(
      tx,
      orderCancelled,
      {
        orderId: cancelled.id,
        orderNumber: cancelled.orderNumber,
        customerId: cancelled.customerId,
        reason: input.reason,
        lineItems: cancelled.lineItems.map(toEventLine),
        refundAmount,
        cancelledBy: actor,
        cancelledAt: at.toISOString(),
      },
      orderAggregate(cancelled),
    );
    deps.logger.info('order cancelled', { orderId: cancelled.id, by: actor ?? 'system', refund: refundAmount.amount });
    return { order: cancelled, history: await statusHistoryOf(tx, cancelled.id) };
  });
}

/** A customer cancels only their own order; someone else's is as unknown as none. */
function ownedBy(order: Order, by: CancelOrderInput['by']): boolean {
  return typeof by !== 'object' || !('customerId' in by) || by.customerId === order.customerId;
}

function actorOf(by: CancelOrderInput['by']): string | null {
  if (by === 'system') return null;
  return 'customerId' in by ? by.customerId : by.adminId;
}
