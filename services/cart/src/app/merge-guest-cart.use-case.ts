import { randomUUID } from 'node:crypto';
import { cartMerged, type CartMergedItem } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { AppError, assertFound } from '@shop/platform';
import { deleteCart, ensureCustomerCart, findGuestCartByToken, insertLine, listLines, lockCart, lockGuestCart, setLineQuantity, touchCart } from '../db/cart.repository.js';
import type { CartDatabase } from '../db/schema.js';
import { cartAggregate, mergedQuantity } from '../domain/cart.js';
import { hashCartToken } from '../domain/cart-token.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';

/**
 * CMD-CART-004: the guest cart's lines join the customer's cart, each summed with the customer's
 * line of the same variant and capped to the available stock (never an error: what cannot be
 * had is left out), then the guest cart is gone. `POST /cart/merge` names it by its token.
 */
export async function mergeGuestCartByToken(deps: CartDeps, customerId: string, cartToken: string) {
  const guest = await findGuestCartByToken(deps.db, hashCartToken(cartToken));
  assertFound(guest, 'CART_NOT_FOUND', 'no guest cart has this token (it may have been merged already)');
  const merged = await mergeGuestCart(deps, customerId, guest.id);
  assertFound(merged, 'CART_NOT_FOUND', 'the guest cart has been merged already');
  return cartView(deps.db, merged, deps.config.SHOP_CURRENCY);
}

/**
 * Merges a guest cart by id (a login naming `guestCartId`, an unguessable v4 UUID); undefined when
 * no guest cart has that id (merged already, expired, never existed).
 */
export async function mergeGuestCart(deps: CartDeps, customerId: string, guestCartId: string) {
  const guestLines = await listLines(deps.db, guestCartId);
  // Stock is asked before the transaction: no transaction waits on another service.
  const available = guestLines.length > 0 ? await deps.stock.available(guestLines.map((l) => l.variantId)) : new Map<string, number>();
  const customerCart = await ensureCustomerCart(deps.db, randomUUID(), customerId);

  return deps.transaction(async (tx) => {
    const guest = await lockGuestCart(tx, guestCartId);
    if (!guest) return undefined;
    await lockCart(tx, customerCart.id);
    const now = deps.now();
    const touched = await touchCart(tx, customerCart.id, now);
    const mergedItems = await joinLines(tx, customerCart.id, await listLines(tx, guest.id), available, touched.version, now);
    await deleteCart(tx, guest.id);
    await deps.outbox.add(tx, cartMerged, { cartId: customerCart.id, guestCartId: guest.id, customerId, mergedItems, mergedAt: now.toISOString() }, cartAggregate(touched));
    deps.logger.info('guest cart merged', { cartId: customerCart.id, guestCartId: guest.id, lines: mergedItems.length });
    return touched;
  });
}

async function joinLines(
  tx: Transaction<CartDatabase>,
  cartId: string,
  guestLines: Awaited<ReturnType<typeof listLines>>,
  available: Map<string, number>,
  version: number,
  at: Date,
): Promise<CartMergedItem[]> {
  const mine = new Map((await listLines(tx, cartId)).map((line) => [line.variantId, line]));
  const merged: CartMergedItem[] = [];
  for (const guestLine of guestLines) {
    const existing = mine.get(guestLine.variantId);
    const quantity = mergedQuantity(existing?.quantity ?? 0, guestLine.quantity, available.get(guestLine.variantId) ?? 0);
    // Capped below what the customer's line already holds: their line stays as it is.
    if (quantity <= (existing?.quantity ?? 0)) continue;
    if (existing) await setLineQuantity(tx, existing.id, quantity, version);
    else await insertLine(tx, cartId, { id: randomUUID(), productId: guestLine.productId, variantId: guestLine.variantId, quantity }, version, at);
    merged.push({ productId: guestLine.productId, variantId: guestLine.variantId, quantity });
  }
  return merged;
}

/** Merging needs a customer: a guest cannot merge into a guest cart. */
export function assertCustomer(owner: { customerId?: string }): string {
  if (!owner.customerId) throw new AppError('UNAUTHORIZED', 'sign in to merge a guest cart into yours');
  return owner.customerId;
}
