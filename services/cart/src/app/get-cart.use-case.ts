import { cartOf, type CartOwner } from './cart-of.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';

/** The cart with every line at its current price and availability, from the read models alone. */
export async function getCart(deps: CartDeps, owner: CartOwner) {
  return cartView(deps.db, await cartOf(deps, owner), deps.config.SHOP_CURRENCY);
}
