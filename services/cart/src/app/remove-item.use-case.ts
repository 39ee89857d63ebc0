import { cartItemRemoved } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { deleteLines, findLine, keepRemovedLine, lockCart, touchCart } from '../db/cart.repository.js';
import { cartAggregate } from '../domain/cart.js';
import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';

/** SEQ-CART-003: the line leaves the cart, kept for the undo window (POST /cart/items/:itemId/restore). */
export async function removeItem(deps: CartDeps, owner: CartOwner, itemId: string) {
  const cart = await cartOf(deps, owner);
  const changed = await deps.transaction(async (tx) => {
    await lockCart(tx, cart.id);
    const line = await findLine(tx, cart.id, itemId);
    assertFound(line, 'ITEM_NOT_FOUND', 'this cart has no such item', { itemId });
    const now = deps.now();
    const touched = await touchCart(tx, cart.id, now);
    await deleteLines(tx, [line.id]);
    await keepRemovedLine(tx, cart.id, line, now);
    await deps.outbox.add(
      tx,
      cartItemRemoved,
      { cartId: cart.id, customerId: cart.customerId, cartItemId: line.id, productId: line.productId, variantId: line.variantId, reason: 'customer', removedAt: now.toISOString() },
      cartAggregate(touched),
    );
    return touched;
  });
  return cartView(deps.db, changed, deps.config.SHOP_CURRENCY);
}
