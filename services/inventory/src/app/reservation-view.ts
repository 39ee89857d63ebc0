import type { Reservation } from '../domain/reservation.js';
import type { StockItem } from '../domain/stock.js';

/** A reservation as the order service sees it. */
export function toReservationView(reservation: Reservation) {
  return {
    orderId: reservation.orderId,
    status: reservation.status,
    lines: reservation.lines,
    reservedAt: reservation.reservedAt.toISOString(),
    expiresAt: reservation.expiresAt?.toISOString() ?? null,
    committedAt: reservation.committedAt?.toISOString() ?? null,
    releasedAt: reservation.releasedAt?.toISOString() ?? null,
    releaseReason: reservation.releaseReason,
    deductedAt: reservation.deductedAt?.toISOString() ?? null,
  };
}

/** The locked row of a reserved variant. Rows are never deleted, so a missing one is a bug, not a client error. */
export function reservedStockOf(stock: ReadonlyMap<string, StockItem>, variantId: string): StockItem {
  const item = stock.get(variantId);
  if (!item) throw new Error(`stock row of reserved variant ${variantId} is missing`);
  return item;
}
