import { assertFound } from '@shop/platform';
import { findRemovedLine, lockCart, takeRemovedLine } from '../db/cart.repository.js';
import { findProduct } from '../db/catalog.repository.js';
import { assertInStock, assertSellable, isRestorable } from '../domain/cart.js';
import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';
import { putOnLine } from './put-on-line.js';

const notRestorable = (itemId: string) => ({ code: 'ITEM_NOT_FOUND' as const, message: 'this cart has no removed item to restore', details: { itemId } });

/**
 * Undoes a removal within the undo window: the line comes back as it was (added to a line of the
 * same variant if the shopper added one since), the product still on sale and the stock checked
 * again. Later, or for an item never removed from this cart: 404 ITEM_NOT_FOUND.
 */
export async function restoreItem(deps: CartDeps, owner: CartOwner, itemId: string) {
  const cart = await cartOf(deps, owner);
  const found = await findRemovedLine(deps.db, cart.id, itemId);
  const removed = found && isRestorable(found.removed_at, deps.now(), deps.config.CART_UNDO_WINDOW_SECONDS) ? found : undefined;
  const gone = notRestorable(itemId);
  assertFound(removed, gone.code, gone.message, gone.details);
  const product = await findProduct(deps.db, removed.product_id);
  assertSellable(product, removed.product_id);
  const variant = product.variants.find((v) => v.variantId === removed.variant_id);
  assertFound(variant, 'PRODUCT_NOT_FOUND', 'the variant of this item is no longer sold', { variantId: removed.variant_id });
  const available = (await deps.stock.available([variant.variantId])).get(variant.variantId) ?? 0;
  assertInStock(available, variant.variantId);

  const changed = await deps.transaction(async (tx) => {
    await lockCart(tx, cart.id);
    const taken = await takeRemovedLine(tx, cart.id, itemId);
    assertFound(taken, gone.code, gone.message, gone.details);
    const addition = { productId: taken.product_id, variantId: taken.variant_id, quantity: taken.quantity, unitPrice: variant.price, lineId: taken.id };
    return putOnLine(deps, tx, cart, addition, available);
  });
  return cartView(deps.db, changed, deps.config.SHOP_CURRENCY);
}
