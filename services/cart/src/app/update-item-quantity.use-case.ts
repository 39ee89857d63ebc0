import { cartItemQuantityUpdated } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { findLine, lockCart, setLineQuantity, touchCart } from '../db/cart.repository.js';
import { assertLineQuantity, assertWithinStock, cartAggregate } from '../domain/cart.js';
import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';
import { removeItem } from './remove-item.use-case.js';

/**
 * SEQ-CART-002: a line of this cart gets a new quantity, which the stock must cover; 0 removes the
 * line (restorable, as a removal is). A line of someone else's cart is as unknown as none.
 */
export async function updateItemQuantity(deps: CartDeps, owner: CartOwner, itemId: string, quantity: number) {
  if (quantity === 0) return removeItem(deps, owner, itemId);
  assertLineQuantity(quantity);
  const cart = await cartOf(deps, owner);
  const before = await findLine(deps.db, cart.id, itemId);
  assertFound(before, 'ITEM_NOT_FOUND', 'this cart has no such item', { itemId });
  const available = (await deps.stock.available([before.variantId])).get(before.variantId) ?? 0;
  assertWithinStock(quantity, available, before.variantId);

  const changed = await deps.transaction(async (tx) => {
    await lockCart(tx, cart.id);
    const line = await findLine(tx, cart.id, itemId);
    assertFound(line, 'ITEM_NOT_FOUND', 'this cart has no such item', { itemId });
    if (line.quantity === quantity) return undefined;
    const now = deps.now();
    const touched = await touchCart(tx, cart.id, now);
    await setLineQuantity(tx, line.id, quantity, touched.version);
    await deps.outbox.add(
      tx,
      cartItemQuantityUpdated,
      {
        cartId: cart.id,
        customerId: cart.customerId,
        cartItemId: line.id,
        productId: line.productId,
        variantId: line.variantId,
        oldQuantity: line.quantity,
        newQuantity: quantity,
        updatedAt: now.toISOString(),
      },
      cartAggregate(touched),
    );
    return touched;
  });
  return cartView(deps.db, changed ?? cart, deps.config.SHOP_CURRENCY);
}
