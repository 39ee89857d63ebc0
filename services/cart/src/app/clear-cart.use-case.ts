import { cartCleared } from '@shop/contracts';
import { deleteLines, listLines, lockCart, touchCart } from '../db/cart.repository.js';
import { cartAggregate } from '../domain/cart.js';
import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';

/** The shopper empties the cart. An empty cart stays as it is. */
export async function clearCart(deps: CartDeps, owner: CartOwner) {
  const cart = await cartOf(deps, owner);
  const changed = await deps.transaction(async (tx) => {
    await lockCart(tx, cart.id);
    const lines = await listLines(tx, cart.id);
    if (lines.length === 0) return undefined;
    const now = deps.now();
    const touched = await touchCart(tx, cart.id, now);
    await deleteLines(
      tx,
      lines.map((l) => l.id),
    );
    await deps.outbox.add(tx, cartCleared, { cartId: cart.id, customerId: cart.customerId, reason: 'customer', clearedAt: now.toISOString() }, cartAggregate(touched));
    return touched;
  });
  return cartView(deps.db, changed ?? cart, deps.config.SHOP_CURRENCY);
}
