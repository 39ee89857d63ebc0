import { AppError } from '@shop/platform';
import { availableOf, type StockLevel } from './stock';

export type ReservationStatus = 'reserved' | 'released' | 'deducted';

export interface ReservationLine {
  variantId: string;
  quantity: number;
}

/** What one order holds; the orderId is the idempotency key of reserve, release and deduct. */
export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  /** One per variant, in variant id order. */
  lines: ReservationLine[];
  reservedAt: Date;
  releasedAt: Date | null;
  deductedAt: Date | null;
}

export interface Shortfall {
  variantId: string;
  requested: number;
  available: number;
}

/**
 * One line per variant, in variant id order: lines for the same variant are added up, and the
 * order is the one rows are locked in, so two reservations never wait for each other in a circle.
 * Ids are lower-cased as PostgreSQL writes uuids, so they match the stored rows.
 */
export function toReservationLines(lines: ReservationLine[]): ReservationLine[] {
  const byVariant = new Map<string, number>();
  for (const line of lines) {
    const variantId = line.variantId.toLowerCase();
    byVariant.set(variantId, (byVariant.get(variantId) ?? 0) + line.quantity);
  }
  return [...byVariant.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([variantId, quantity]) => ({ variantId, quantity }));
}

/** Lines the stock cannot cover; a variant without stock counts as 0 available. */
export function shortfallsOf(lines: ReservationLine[], stock: ReadonlyMap<string, StockLevel>): Shortfall[] {
  return lines
    .map((line) => {
      const level = stock.get(line.variantId);
      return { variantId: line.variantId, requested: line.quantity, available: level ? availableOf(level) : 0 };
    })
    .filter((line) => line.requested > line.available);
}

/** SEQ-ORDER-001 step 4: all lines or none. */
export function assertStockCovers(lines: ReservationLine[], stock: ReadonlyMap<string, StockLevel>): void {
  const items = shortfallsOf(lines, stock);
  if (items.length > 0) throw new AppError('INSUFFICIENT_STOCK', 'not enough stock for one or more items', { items });
}

/** A replayed reserve must ask for what the first one reserved; the same orderId with other lines is a client bug. */
export function assertSameLines(reservation: Pick<Reservation, 'orderId' | 'lines'>, lines: ReservationLine[]): void {
  const stored = toReservationLines(reservation.lines);
  const same = stored.length === lines.length && stored.every((line, i) => line.variantId === lines[i]?.variantId && line.quantity === lines[i]?.quantity);
  if (!same) throw new AppError('CONFLICT', `order ${reservation.orderId} already reserved other lines`, { orderId: reservation.orderId });
}

/** Release (order cancelled) is possible until the goods shipped. */
export function assertReleasable(reservation: Pick<Reservation, 'orderId' | 'status'>): void {
  if (reservation.status === 'deducted') throw new AppError('CONFLICT', `the stock of order ${reservation.orderId} was already deducted (shipped)`, { status: reservation.status });
}

/** Deduction (order shipped) needs the stock still held. */
export function assertDeductible(reservation: Pick<Reservation, 'orderId' | 'status'>): void {
  if (reservation.status === 'released') throw new AppError('CONFLICT', `the stock of order ${reservation.orderId} was released`, { status: reservation.status });
}
