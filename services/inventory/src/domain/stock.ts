import type { AggregateRef } from '@shop/contracts';
import { AppError } from '@shop/platform';

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

/** The numbers of one variant's stock: what is on the shelf, what orders hold, when to warn. */
export interface StockLevel {
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
}

/** Which alerts were sent for the current low / out-of-stock episode (cleared once stock rises above). */
export interface AlertState {
  lowStockAlerted: boolean;
  outOfStockAlerted: boolean;
}

/**
 * Where a stock row came from: the product's creation, a variant added to it later, or the
 * catalog's product feed (a product whose events this inventory missed).
 */
export type StockOrigin = 'product_created' | 'product_updated' | 'catalog_feed';

/** The Inventory aggregate (seed EVT-INV-*): one row per variant; `version` grows with every change. */
export interface StockItem extends StockLevel, AlertState {
  id: string;
  variantId: string;
  productId: string;
  productName: string | null;
  /** The variant's SKU as the catalog names it; null on rows opened before it was kept, until the catalog names it again. */
  sku: string | null;
  version: number;
  origin: StockOrigin;
}

/** The largest on-hand quantity a variant may have; keeps every figure inside a 32-bit column. */
export const MAX_QUANTITY = 1_000_000_000;

/** Available = on hand minus reserved; the invariants below keep it from ever going negative. */
export function availableOf(level: Pick<StockLevel, 'onHand' | 'reserved'>): number {
  return level.onHand - level.reserved;
}

/** out_of_stock at 0 available, low_stock from 1 up to the threshold, in_stock above it. */
export function stockStatusOf(level: StockLevel): StockStatus {
  const available = availableOf(level);
  if (available <= 0) return 'out_of_stock';
  if (available <= level.lowStockThreshold) return 'low_stock';
  return 'in_stock';
}

/**
 * A row the catalog feed opened (0 on hand) that nothing has changed since: it stands in for the
 * product.created this inventory had not applied yet, and that event's initial stock replaces it.
 */
export function isStandIn(item: Pick<StockItem, 'origin' | 'version'>): boolean {
  return item.origin === 'catalog_feed' && item.version === 1;
}

/** CMD-INV-001: an absolute quantity is never negative. */
export function assertValidQuantity(quantity: number): void {
  if (quantity < 0) throw new AppError('NEGATIVE_QUANTITY', 'the quantity cannot be negative', { quantity });
}

/** Admin sets the on-hand quantity; what orders already hold cannot be taken away. */
export function setQuantity(level: StockLevel, quantity: number): StockLevel {
  assertValidQuantity(quantity);
  assertWithinLimit(quantity);
  assertCoversReserved(level, quantity);
  return { ...level, onHand: quantity };
}

/** CMD-INV-002: on hand changes by a signed delta; the result must still cover what is reserved. */
export function adjust(level: StockLevel, adjustment: number): StockLevel {
  const onHand = level.onHand + adjustment;
  assertWithinLimit(onHand);
  assertCoversReserved(level, onHand);
  return { ...level, onHand };
}

/** SEQ-INV-001: a restock adds a positive quantity to on hand. */
export function restock(level: StockLevel, quantity: number): StockLevel {
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new AppError('VALIDATION_ERROR', 'the restock quantity must be a positive integer', { fields: [{ field: 'quantity', message: 'must be greater than 0' }] });
  }
  const onHand = level.onHand + quantity;
  assertWithinLimit(onHand);
  return { ...level, onHand };
}

export function changeThreshold(level: StockLevel, lowStockThreshold: number): StockLevel {
  if (!Number.isInteger(lowStockThreshold) || lowStockThreshold < 0 || lowStockThreshold > MAX_QUANTITY) {
    throw new AppError('VALIDATION_ERROR', 'the threshold must be an integer of at least 0', { fields: [{ field: 'lowStockThreshold', message: 'must be 0 or more' }] });
  }
  return { ...level, lowStockThreshold };
}

/** CMD-INV-003: an order holds part of the available stock. Callers check availability first (see shortfallsOf). */
export function reserve(level: StockLevel, quantity: number): StockLevel {
  if (quantity > availableOf(level)) throw new AppError('INSUFFICIENT_STOCK', 'not enough stock available', { available: availableOf(level), requested: quantity });
  return { ...level, reserved: level.reserved + quantity };
}

/** CMD-INV-004: what an order held goes back to available. */
export function release(level: StockLevel, quantity: number): StockLevel {
  assertHeld(level, quantity);
  return { ...level, reserved: level.reserved - quantity };
}

/** SEQ-ORDER-003: shipped goods leave the shelf and the reservation at once; available does not change. */
export function deduct(level: StockLevel, quantity: number): StockLevel {
  assertHeld(level, quantity);
  return { ...level, onHand: level.onHand - quantity, reserved: level.reserved - quantity };
}

export interface AlertDecision {
  /** The flags to store with the new level. */
  state: AlertState;
  /** Send inventory.low-stock now. */
  lowStock: boolean;
  /** Send inventory.out-of-stock now. */
  outOfStock: boolean;
}

/**
 * SEQ-INV-002 and the low-stock alert: each alert goes out once when available falls to its line
 * (low: at or below the threshold; out: 0), and not again while it stays there. Once available
 * rises above the line the flag clears, so the next fall alerts again. Going straight from above
 * the threshold to 0 sends both.
 */
export function evaluateAlerts(next: StockLevel, previous: AlertState): AlertDecision {
  const available = availableOf(next);
  const isLow = available <= next.lowStockThreshold;
  const isOut = available <= 0;
  return {
    state: { lowStockAlerted: isLow, outOfStockAlerted: isOut },
    lowStock: isLow && !previous.lowStockAlerted,
    outOfStock: isOut && !previous.outOfStockAlerted,
  };
}

function assertCoversReserved(level: StockLevel, onHand: number): void {
  if (onHand < level.reserved) {
    throw new AppError('NEGATIVE_STOCK', `on hand cannot go below the ${level.reserved} reserved for orders`, {
      onHand: level.onHand,
      reserved: level.reserved,
      available: availableOf(level),
      requestedOnHand: onHand,
    });
  }
}

function assertWithinLimit(onHand: number): void {
  if (onHand > MAX_QUANTITY) {
    throw new AppError('VALIDATION_ERROR', `on hand cannot exceed ${MAX_QUANTITY}`, { fields: [{ field: 'quantity', message: `must be at most ${MAX_QUANTITY}` }] });
  }
}

function assertHeld(level: StockLevel, quantity: number): void {
  if (quantity > level.reserved) throw new AppError('CONFLICT', 'cannot release more than is reserved', { reserved: level.reserved, requested: quantity });
}

/** A variant's stock row as the aggregate its events are about, at its current version. */
export function stockAggregate(item: Pick<StockItem, 'variantId' | 'version'>): AggregateRef {
  return { type: 'stock', id: item.variantId, version: item.version };
}
