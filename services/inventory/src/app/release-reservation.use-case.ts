import { inventoryReleased, type StockLine } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { findReservation, markReleased } from '../db/reservation.repository';
import { lockStockByVariants } from '../db/stock.repository';
import { assertReleasable } from '../domain/reservation';
import { release } from '../domain/stock';
import type { InventoryDeps } from './deps';
import { reservedStockOf, toReservationView } from './reservation-view';
import { applyStockChange } from './stock-changes';

export interface ReleaseReservationInput {
  orderId: string;
  reason: string;
}

/**
 * SEQ-ORDER-005 step 5 (CMD-INV-004), also the checkout saga's undo of a reservation: what the
 * order held goes back to available. Already released: the same answer, nothing changes; once
 * shipped (deducted) there is nothing left to release.
 */
export async function releaseReservation(deps: InventoryDeps, input: ReleaseReservationInput) {
  return deps.transaction(async (tx) => {
    const reservation = await findReservation(tx, input.orderId, { forUpdate: true });
    if (!reservation) throw new AppError('NOT_FOUND', 'this order has no reservation', { orderId: input.orderId });
    if (reservation.status === 'released') return toReservationView(reservation);
    assertReleasable(reservation);

    const at = deps.now();
    const stock = await lockStockByVariants(tx, reservation.lines.map((line) => line.variantId));
    const released: StockLine[] = [];
    for (const line of reservation.lines) {
      const item = reservedStockOf(stock, line.variantId);
      await applyStockChange(deps, tx, item, release(item, line.quantity), { action: 'released', at, reason: input.reason, orderId: input.orderId });
      released.push({ variantId: item.variantId, productId: item.productId, quantity: line.quantity });
    }
    const updated = await markReleased(tx, input.orderId, input.reason, at);
    await deps.outbox.add(tx, inventoryReleased, { orderId: input.orderId, lines: released, reason: input.reason, releasedAt: at.toISOString() });
    deps.logger.info('reservation released', { orderId: input.orderId });
    return toReservationView(updated);
  });
}
