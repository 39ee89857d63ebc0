import { inventoryReserved, type StockLine } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { claimReservation, findReservation } from '../db/reservation.repository.js';
import { lockStockByVariants } from '../db/stock.repository.js';
import { assertSameLines, assertStockCovers, reservationAggregate, toReservationLines, type ReservationLine } from '../domain/reservation.js';
import { reserve } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { toReservationView, reservedStockOf } from './reservation-view.js';
import { applyStockChange } from './stock-changes.js';

export interface ReserveStockInput {
  orderId: string;
  lines: ReservationLine[];
  /** How long the hold lasts unless the order commits it; RESERVATION_TTL_SECONDS unless given. */
  ttlSeconds?: number;
}

/**
 * SEQ-ORDER-001 step 4 (CMD-INV-003): claim the orderId, lock the variants' rows in variant id
 * order, check every line, then reserve them all; one short line and nothing is reserved. The hold
 * expires unless the order service commits it in time (see commitReservation).
 * Idempotent by orderId: asked again (also concurrently), it reserves nothing more and answers
 * with the reservation the order already has (`created: false`).
 */
export async function reserveStock(deps: InventoryDeps, input: ReserveStockInput) {
  const lines = toReservationLines(input.lines);
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const expiresAt = new Date(at.getTime() + (input.ttlSeconds ?? deps.config.RESERVATION_TTL_SECONDS) * 1_000);
    const claimed = await claimReservation(tx, input.orderId, lines, at, expiresAt);
    if (!claimed) {
      const existing = await findReservation(tx, input.orderId);
      if (!existing) throw new AppError('CONFLICT', 'the reservation changed meanwhile; try again');
      assertSameLines(existing, lines);
      return { created: false, reservation: toReservationView(existing) };
    }

    const stock = await lockStockByVariants(tx, lines.map((line) => line.variantId));
    assertStockCovers(lines, stock);
    const reserved: StockLine[] = [];
    for (const line of lines) {
      const item = reservedStockOf(stock, line.variantId);
      await applyStockChange(deps, tx, item, reserve(item, line.quantity), { action: 'reserved', at, orderId: input.orderId });
      reserved.push({ variantId: item.variantId, productId: item.productId, quantity: line.quantity });
    }
    await deps.outbox.add(tx, inventoryReserved, { orderId: input.orderId, lines: reserved, reservedAt: at.toISOString() }, reservationAggregate(claimed));
    deps.logger.info('stock reserved', { orderId: input.orderId, lines: lines.length });
    return { created: true, reservation: toReservationView(claimed) };
  });
}
