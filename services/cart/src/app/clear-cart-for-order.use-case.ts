import { cartCleared, cartItemRemoved } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { claimOrderClearing, deleteLines, listLines, lockCart, touchCart } from '../db/cart.repository.js';
import { cartAggregate } from '../domain/cart.js';
import { cartView } from './cart-view.js';
import type { CartDeps } from './deps.js';

export interface ClearForOrderInput {
  cartId: string;
  orderId: string;
  /** The cart version of the snapshot the order was placed from. */
  version: number;
}

/**
 * The order placed from a snapshot takes the snapshot's lines out of the cart; lines added or
 * changed after it stay. Idempotent by orderId: asked again, nothing more is removed.
 */
export async function clearCartForOrder(deps: CartDeps, input: ClearForOrderInput) {
  const cart = await deps.transaction(async (tx) => {
    const locked = await lockCart(tx, input.cartId);
    assertFound(locked, 'CART_NOT_FOUND', 'cart not found', { cartId: input.cartId });
    if (!(await claimOrderClearing(tx, input.orderId, locked.id))) return locked;
    const lines = await listLines(tx, locked.id);
    const ordered = lines.filter((line) => line.changedVersion <= input.version);
    if (ordered.length === 0) return locked;
    const now = deps.now();
    const touched = await touchCart(tx, locked.id, now);
    await deleteLines(
      tx,
      ordered.map((l) => l.id),
    );
    if (ordered.length === lines.length) {
      await deps.outbox.add(tx, cartCleared, { cartId: locked.id, customerId: locked.customerId, reason: 'order-placed', clearedAt: now.toISOString() }, cartAggregate(touched));
    } else {
      for (const line of ordered) {
        await deps.outbox.add(
          tx,
          cartItemRemoved,
          { cartId: locked.id, customerId: locked.customerId, cartItemId: line.id, productId: line.productId, variantId: line.variantId, reason: 'order-placed', removedAt: now.toISOString() },
          cartAggregate(touched),
        );
      }
    }
    return touched;
  });
  return cartView(deps.db, cart, deps.config.SHOP_CURRENCY);
}
