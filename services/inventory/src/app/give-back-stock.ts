import { inventoryReleased, type StockLine } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { markReleased } from '../db/reservation.repository.js';
import type { InventoryDatabase } from '../db/schema.js';
import { lockStockByVariants } from '../db/stock.repository.js';
import { reservationAggregate, type Reservation } from '../domain/reservation.js';
import { release } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { reservedStockOf } from './reservation-view.js';
import { applyStockChange } from './stock-changes.js';

/**
 * Puts what a reservation held back into available stock and marks it released, inside the
 * caller's transaction, which holds the reservation's row: the one way stock is released, whether
 * an order was cancelled, a checkout undone or a hold expired.
 */
export async function giveBackStock(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, reservation: Reservation, reason: string, at: Date): Promise<Reservation> {
  const stock = await lockStockByVariants(tx, reservation.lines.map((line) => line.variantId));
  const released: StockLine[] = [];
  for (const line of reservation.lines) {
    const item = reservedStockOf(stock, line.variantId);
    await applyStockChange(deps, tx, item, release(item, line.quantity), { action: 'released', at, reason, orderId: reservation.orderId });
    released.push({ variantId: item.variantId, productId: item.productId, quantity: line.quantity });
  }
  const updated = await markReleased(tx, reservation.orderId, reason, at);
  await deps.outbox.add(tx, inventoryReleased, { orderId: reservation.orderId, lines: released, reason, releasedAt: at.toISOString() }, reservationAggregate(updated));
  deps.logger.info('reservation released', { orderId: reservation.orderId, reason });
  return updated;
}
