import { randomUUID } from 'node:crypto';
import { AppError } from '@shop/platform';
import { ensureCustomerCart, findGuestCartByToken, type Cart } from '../db/cart.repository.js';
import { hashCartToken } from '../domain/cart-token.js';
import type { CartDeps } from './deps.js';

/** Whose cart a request works on: a signed-in customer's, or the guest's holding the cart token. */
export type CartOwner = { customerId: string } | { guestToken: string };

/**
 * The cart of the request's owner. A customer always has one (made now if customer.registered has
 * not arrived yet); a guest's token must name a cart, else 401 UNAUTHORIZED.
 */
export async function cartOf(deps: CartDeps, owner: CartOwner): Promise<Cart> {
  if ('customerId' in owner) return ensureCustomerCart(deps.db, randomUUID(), owner.customerId);
  const cart = await findGuestCartByToken(deps.db, hashCartToken(owner.guestToken));
  if (!cart) throw new AppError('UNAUTHORIZED', 'the cart token names no cart; ask for a new guest cart');
  return cart;
}
