import type { Money } from '@shop/contracts';
import type { Kysely } from '@shop/db';
import type { Cart } from '../db/cart.repository.js';
import { pricedLines } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';
import { isAvailable, totalsOf } from '../domain/cart.js';

/** A cart as every cart answer shows it (API.md): each line at its current price. */
export interface CartView {
  cartId: string;
  items: Array<{
    itemId: string;
    productId: string;
    variantId: string;
    productName: string;
    variantName: string;
    sku: string;
    quantity: number;
    unitPrice: Money;
    subtotal: Money;
    available: boolean;
  }>;
  itemCount: number;
  total: Money;
  updatedAt: string;
}

type PricedRow = Awaited<ReturnType<typeof pricedLines>>[number];

/** The cart with its lines priced from the read models, in one query. */
export async function cartView(db: Kysely<CartDatabase>, cart: Cart, currency: string): Promise<CartView> {
  return viewOf(cart, await pricedLines(db, cart.id), currency);
}

export function viewOf(cart: Cart, rows: PricedRow[], currency: string): CartView {
  const items = rows.map((row) => lineOf(row, currency));
  return { cartId: cart.id, items, ...totalsOf(items, currency), updatedAt: cart.updatedAt.toISOString() };
}

function lineOf(row: PricedRow, currency: string): CartView['items'][number] {
  const unitPrice: Money = { amount: row.price_amount ?? 0, currency: row.price_currency ?? currency };
  return {
    itemId: row.id,
    productId: row.product_id,
    variantId: row.variant_id,
    productName: row.product_name ?? '',
    variantName: row.variant_name ?? '',
    sku: row.sku ?? '',
    quantity: row.quantity,
    unitPrice,
    subtotal: { amount: unitPrice.amount * row.quantity, currency: unitPrice.currency },
    // A line whose product the read model has lost cannot be bought.
    available: isOnSale(row) && isAvailable({ status: row.status ?? 'inactive', deleted: row.deleted ?? true }, row.stock_status),
  };
}

/** The product is active, not deleted, and still priced in the read model; stock aside. */
export function isOnSale(row: Pick<PricedRow, 'status' | 'deleted' | 'price_amount'>): boolean {
  return row.status === 'active' && row.deleted === false && row.price_amount !== null;
}
