import { randomUUID } from 'node:crypto';
import { insertGuestCart } from '../db/cart.repository.js';
import { hashCartToken, newCartToken } from '../domain/cart-token.js';
import type { CartDeps } from './deps.js';

/** A cart for a shopper who has not signed in: its id, and the secret token that opens it (returned once). */
export async function createGuestCart(deps: CartDeps): Promise<{ cartId: string; cartToken: string }> {
  const cartToken = newCartToken();
  const cart = await insertGuestCart(deps.db, randomUUID(), hashCartToken(cartToken));
  return { cartId: cart.id, cartToken };
}
