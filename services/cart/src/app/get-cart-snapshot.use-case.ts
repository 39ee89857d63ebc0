import { randomUUID } from 'node:crypto';
import { ensureCustomerCart } from '../db/cart.repository.js';
import { pricedLines } from '../db/catalog.repository.js';
import { isOnSale, viewOf } from './cart-view.js';
import type { CartDeps } from './deps.js';

/**
 * For the order service's checkout: the customer's cart with current prices and availability, and
 * its version, which clearing the cart for the order names. `onSale` per line tells a product taken
 * off sale (PRODUCT_INACTIVE) from one merely short of stock, which the reservation judges.
 */
export async function getCartSnapshot(deps: CartDeps, customerId: string) {
  const cart = await ensureCustomerCart(deps.db, randomUUID(), customerId);
  const rows = await pricedLines(deps.db, cart.id);
  const view = viewOf(cart, rows, deps.config.SHOP_CURRENCY);
  const items = view.items.map((item, i) => ({ ...item, onSale: isOnSale(rows[i]!) }));
  return { ...view, items, customerId, version: cart.version };
}
