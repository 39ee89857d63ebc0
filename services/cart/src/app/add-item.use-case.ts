import { findProduct } from '../db/catalog.repository.js';
import { assertInStock, assertSellable, chooseVariant } from '../domain/cart.js';
import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';
import { putOnLine } from './put-on-line.js';

export interface AddItemInput {
  productId: string;
  variantId?: string;
  quantity: number;
}

/**
 * SEQ-CART-001: the product must be on sale and the variant named (or the only one); the stock
 * must cover the line's new total; the line of that variant grows, or a new one starts. The stock
 * is asked before the transaction (no transaction waits on another service); the cart is locked
 * while its line changes (see putOnLine), so concurrent adds all count.
 */
export async function addItem(deps: CartDeps, owner: CartOwner, input: AddItemInput) {
  const cart = await cartOf(deps, owner);
  const product = await findProduct(deps.db, input.productId);
  assertSellable(product, input.productId);
  const variant = chooseVariant(product, input.variantId);
  const available = (await deps.stock.available([variant.variantId])).get(variant.variantId) ?? 0;
  assertInStock(available, variant.variantId);

  const changed = await deps.transaction((tx) =>
    putOnLine(deps, tx, cart, { productId: product.productId, variantId: variant.variantId, quantity: input.quantity, unitPrice: variant.price }, available),
  );
  return cartView(deps.db, changed, deps.config.SHOP_CURRENCY);
}
