import { randomUUID } from 'node:crypto';
import { ensureCustomerCart } from '../db/cart.repository';
import { cartView } from './cart-view';
import type { CartDeps } from './deps';

/**
 * For the order service's checkout: the customer's cart with current prices and availability, and
 * its version, which clearing the cart for the order names.
 */
export async function getCartSnapshot(deps: CartDeps, customerId: string) {
  const cart = await ensureCustomerCart(deps.db, randomUUID(), customerId);
  return { ...(await cartView(deps.db, cart, deps.config.SHOP_CURRENCY)), customerId, version: cart.version };
}
