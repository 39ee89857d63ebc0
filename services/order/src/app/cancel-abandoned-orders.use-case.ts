import { AppError } from '@shop/platform';
import { findAbandonedPayPalOrders } from '../db/order.repository.js';
import { cancelOrder } from './cancel-order.use-case.js';
import type { OrderDeps } from './deps.js';

const BATCH = 20;

/**
 * PENDING orders whose PayPal-style approval was cancelled or expired are cancelled by the shop:
 * stock released, `order.cancelled` (nothing to refund). An order that cannot be cancelled now (the
 * inventory is down) stays for the next round. With several replicas, two rounds may pick the same
 * order: the one that commits second finds it cancelled already, and leaves it.
 */
export async function cancelAbandonedOrders(deps: OrderDeps): Promise<number> {
  let cancelled = 0;
  for (const order of await findAbandonedPayPalOrders(deps.db, BATCH)) {
    const why = order.payment.failureReason === 'approval_expired' ? 'PayPal approval expired' : 'PayPal approval cancelled';
    try {
      await cancelOrder(deps, { orderId: order.id, reason: why, by: 'system' });
      cancelled += 1;
    } catch (err) {
      if (err instanceof AppError && err.code === 'CANCELLATION_NOT_ALLOWED') {
        deps.logger.debug('an abandoned order was settled meanwhile', { orderId: order.id, status: err.details.status });
        continue;
      }
      deps.logger.warn('an abandoned order could not be cancelled yet; trying again later', { orderId: order.id, error: String(err) });
    }
  }
  return cancelled;
}
