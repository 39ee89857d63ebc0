import { orderCarrierUpdateUnmatched, orderDelivered } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrderByTrackingNumber, noteUnmatchedTrackingNumber, recordCarrierEvent, updateOrder } from '../db/order.repository.js';
import type { OrderDatabase } from '../db/schema.js';
import { canTransition, orderAggregate, unmatchedTrackingAggregate } from '../domain/order.js';
import type { OrderDeps } from './deps.js';

export interface CarrierUpdate {
  trackingNumber: string;
  status: string;
}

/**
 * SEQ-ORDER-004 from the carrier's signed webhook: a SHIPPED order reported delivered becomes
 * DELIVERED (`order.delivered`). Told again, nothing changes. A tracking number the shop does not
 * know is recorded for review (`accepted: false`: the route answers 202) and, the first time it
 * comes, announced for staff; a status the shop does not act on is recorded for review too. Every
 * update is kept in `carrier_events`.
 */
export async function recordDelivery(deps: OrderDeps, update: CarrierUpdate): Promise<{ accepted: boolean; status?: string }> {
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const order = await findOrderByTrackingNumber(tx, update.trackingNumber, { forUpdate: true });
    if (!order) {
      await keepUnmatchedForReview(deps, tx, update, at);
      return { accepted: false };
    }
    if (update.status !== 'delivered' || !canTransition(order.status, 'DELIVERED')) {
      const outcome = order.status === 'DELIVERED' && update.status === 'delivered' ? 'unchanged' : 'not-applicable';
      await recordCarrierEvent(tx, { ...update, orderId: order.id, outcome }, at);
      if (outcome === 'not-applicable') deps.logger.warn('a carrier update the order cannot take; kept for review', { orderId: order.id, status: order.status, carrierStatus: update.status });
      return { accepted: true, status: order.status };
    }
    const delivered = await updateOrder(tx, order, { status: 'DELIVERED', deliveredAt: at }, at, { from: order.status, to: 'DELIVERED', by: null, reason: `delivered, as the carrier reported` });
    await recordCarrierEvent(tx, { ...update, orderId: order.id, outcome: 'applied' }, at);
    await deps.outbox.add(
      tx,
      orderDelivered,
      { orderId: delivered.id, orderNumber: delivered.orderNumber, customerId: delivered.customerId, deliveredAt: at.toISOString() },
      orderAggregate(delivered),
    );
    deps.logger.info('order delivered', { orderId: delivered.id });
    return { accepted: true, status: delivered.status };
  });
}

/** Records an update whose tracking number no order has; only its first report alerts staff (`order.carrier-update-unmatched`). */
async function keepUnmatchedForReview(deps: OrderDeps, tx: Transaction<OrderDatabase>, update: CarrierUpdate, at: Date): Promise<void> {
  await recordCarrierEvent(tx, { ...update, orderId: null, outcome: 'unknown-tracking-number' }, at);
  const firstReport = await noteUnmatchedTrackingNumber(tx, update.trackingNumber, at);
  if (firstReport) {
    await deps.outbox.add(
      tx,
      orderCarrierUpdateUnmatched,
      { trackingNumber: update.trackingNumber, carrierStatus: update.status, receivedAt: at.toISOString() },
      unmatchedTrackingAggregate(update.trackingNumber),
    );
  }
  deps.logger.warn('a carrier reported a tracking number the shop does not know; kept for review', { trackingNumber: update.trackingNumber, status: update.status, firstReport });
}
