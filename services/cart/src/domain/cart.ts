import type { AggregateRef, Money, StockStatus } from '@shop/contracts';
import { AppError } from '@shop/platform';

/** At most this many of one variant in a cart. */
export const MAX_LINE_QUANTITY = 99;

/** A product as the cart knows it from the catalog's events. */
export interface CatalogProduct {
  productId: string;
  name: string;
  status: 'draft' | 'active' | 'inactive';
  deleted: boolean;
  variants: CatalogVariant[];
}

export interface CatalogVariant {
  variantId: string;
  sku: string;
  name: string;
  /** What it sells at: its own price, else the product's. */
  price: Money;
}

/** Only an active product that is not deleted can go into a cart. */
export function assertSellable(product: CatalogProduct | undefined, productId: string): asserts product is CatalogProduct {
  if (!product) throw new AppError('PRODUCT_NOT_FOUND', 'product not found', { productId });
  if (product.deleted || product.status !== 'active') throw new AppError('PRODUCT_INACTIVE', 'this product is not on sale', { productId, status: product.deleted ? 'deleted' : product.status });
}

/** The variant asked for; with one variant it is implied, with several it must be named. */
export function chooseVariant(product: CatalogProduct, variantId: string | undefined): CatalogVariant {
  if (variantId === undefined) {
    const [only, ...others] = product.variants;
    if (!only || others.length > 0) throw new AppError('VARIANT_REQUIRED', 'choose a variant of this product', { variants: product.variants.map((v) => v.variantId) });
    return only;
  }
  const variant = product.variants.find((v) => v.variantId === variantId.toLowerCase());
  if (!variant) throw new AppError('PRODUCT_NOT_FOUND', 'this product has no such variant', { productId: product.productId, variantId });
  return variant;
}

/** A line's quantity: an integer from 1 to 99. */
export function assertLineQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new AppError('VALIDATION_ERROR', `a line holds 1 to ${MAX_LINE_QUANTITY} of a variant`, {
      fields: [{ field: 'quantity', message: `the line's quantity would be ${quantity}; it must be 1-${MAX_LINE_QUANTITY}` }],
    });
  }
}

/** SEQ-CART-001 step 2: something must be available at all. */
export function assertInStock(available: number, variantId: string): void {
  if (available <= 0) throw new AppError('OUT_OF_STOCK', 'this variant is sold out', { variantId, available: 0 });
}

/** SEQ-CART-001/002 step 2: the line's quantity must not exceed what is available. */
export function assertWithinStock(quantity: number, available: number, variantId: string): void {
  if (quantity > available) {
    throw new AppError('QUANTITY_EXCEEDS_STOCK', `only ${Math.max(0, available)} available`, { variantId, requested: quantity, available: Math.max(0, available) });
  }
}

/** CMD-CART-004: a guest's line joins the customer's, the sum capped to stock and to the line maximum; 0 drops it. */
export function mergedQuantity(customerQuantity: number, guestQuantity: number, available: number): number {
  return Math.max(0, Math.min(customerQuantity + guestQuantity, available, MAX_LINE_QUANTITY));
}

/** A removed line can be put back while its undo window lasts. */
export function isRestorable(removedAt: Date, now: Date, windowSeconds: number): boolean {
  return now.getTime() - removedAt.getTime() < windowSeconds * 1_000;
}

/** Carts last active before this instant are idle for `ttlDays`. */
export function idleSince(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() - ttlDays * 86_400_000);
}

/** Whether a line can be bought now: its product on sale and its variant not sold out (unknown stock counts as available). */
export function isAvailable(product: { status: string; deleted: boolean }, stockStatus: StockStatus | null): boolean {
  return product.status === 'active' && !product.deleted && stockStatus !== 'out_of_stock';
}

/** A line as the cart shows it. */
export interface PricedLine {
  quantity: number;
  unitPrice: Money;
  available: boolean;
}

/** How many items the cart holds, and what the available ones cost together. */
export function totalsOf(lines: PricedLine[], currency: string): { itemCount: number; total: Money } {
  return {
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    total: { amount: lines.filter((l) => l.available).reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0), currency },
  };
}

/** The cart as the aggregate its events are about, at its current version. */
export function cartAggregate(cart: { id: string; version: number }): AggregateRef {
  return { type: 'cart', id: cart.id, version: cart.version };
}
