import type { AggregateRef } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { availableOf, type StockLevel } from './stock.js';

/**
 * `reserved`: held for a checkout under way, until `expiresAt`; `committed`: an order stands
 * behind it, held until it ships (`deducted`) or is cancelled (`released`).
 */
export type ReservationStatus = 'reserved' | 'committed' | 'released' | 'deducted';

export interface ReservationLine {
  variantId: string;
  quantity: number;
}

/** What one order holds; the orderId is the idempotency key of reserve, commit, release and deduct. */
export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  /** One per variant, in variant id order. */
  lines: ReservationLine[];
  reservedAt: Date;
  /** When an uncommitted hold is released; null once committed. */
  expiresAt: Date | null;
  committedAt: Date | null;
  releasedAt: Date | null;
  releaseReason: string | null;
  deductedAt: Date | null;
  version: number;
}

/** Why a hold nobody committed was released. */
export const EXPIRED_REASON = 'expired';

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

/**
 * An order is placed on its hold: possible while the hold stands. One that expired (or was
 * released) has given its stock back, and the checkout must start over.
 */
export function assertCommittable(reservation: Pick<Reservation, 'orderId' | 'status' | 'releaseReason'>): void {
  if (reservation.status !== 'released') return;
  if (reservation.releaseReason === EXPIRED_REASON) throw reservationExpired(reservation.orderId);
  throw new AppError('CONFLICT', `the stock of order ${reservation.orderId} was released`, { status: reservation.status });
}

export function reservationExpired(orderId: string): AppError {
  return new AppError('RESERVATION_EXPIRED', `the stock held for order ${orderId} was released when its hold expired`, { orderId });
}

/** Release (order cancelled, checkout undone, hold expired) is possible until the goods shipped. */
export function assertReleasable(reservation: Pick<Reservation, 'orderId' | 'status'>): void {
  if (reservation.status === 'deducted') throw new AppError('CONFLICT', `the stock of order ${reservation.orderId} was already deducted (shipped)`, { status: reservation.status });
}

/** Deduction (order shipped) needs the stock held for a committed order. */
export function assertDeductible(reservation: Pick<Reservation, 'orderId' | 'status'>): void {
  if (reservation.status === 'released') throw new AppError('CONFLICT', `the stock of order ${reservation.orderId} was released`, { status: reservation.status });
  if (reservation.status === 'reserved') throw new AppError('CONFLICT', `order ${reservation.orderId} was never committed; its hold cannot ship`, { status: reservation.status });
}

/** A hold whose time is up and that no order committed. */
export function isExpired(reservation: Pick<Reservation, 'status' | 'expiresAt'>, now: Date): boolean {
  return reservation.status === 'reserved' && reservation.expiresAt !== null && reservation.expiresAt.getTime() <= now.getTime();
}

/** The reservation as the aggregate its events are about. */
export function reservationAggregate(reservation: Pick<Reservation, 'orderId' | 'version'>): AggregateRef {
  return { type: 'reservation', id: reservation.orderId, version: reservation.version };
}
