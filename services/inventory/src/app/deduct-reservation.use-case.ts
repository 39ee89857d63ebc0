import { inventoryDeducted, type StockLine } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { findReservation, markDeducted } from '../db/reservation.repository.js';
import { lockStockByVariants } from '../db/stock.repository.js';
import { assertDeductible, reservationAggregate } from '../domain/reservation.js';
import { deduct } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { reservedStockOf, toReservationView } from './reservation-view.js';
import { applyStockChange } from './stock-changes.js';

/**
 * SEQ-ORDER-003 step 3 (EVT-INV-005): the order shipped, so what it held leaves the shelf: on hand
 * and reserved both drop by the order's quantities. Already deducted: the same answer, nothing
 * changes; a released reservation has nothing to deduct, and an uncommitted hold no order to ship.
 */
export async function deductReservation(deps: InventoryDeps, orderId: string) {
  return deps.transaction(async (tx) => {
    const reservation = await findReservation(tx, orderId, { forUpdate: true });
    assertFound(reservation, 'NOT_FOUND', 'this order has no reservation', { orderId });
    if (reservation.status === 'deducted') return toReservationView(reservation);
    assertDeductible(reservation);

    const at = deps.now();
    const stock = await lockStockByVariants(tx, reservation.lines.map((line) => line.variantId));
    const deducted: StockLine[] = [];
    for (const line of reservation.lines) {
      const item = reservedStockOf(stock, line.variantId);
      await applyStockChange(deps, tx, item, deduct(item, line.quantity), { action: 'deducted', at, orderId });
      deducted.push({ variantId: item.variantId, productId: item.productId, quantity: line.quantity });
    }
    const updated = await markDeducted(tx, orderId, at);
    await deps.outbox.add(tx, inventoryDeducted, { orderId, lines: deducted, deductedAt: at.toISOString() }, reservationAggregate(updated));
    deps.logger.info('reservation deducted', { orderId });
    return toReservationView(updated);
  });
}
