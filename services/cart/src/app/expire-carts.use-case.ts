import { cartExpired } from '@shop/contracts';
import { deleteIdleGuestCarts, deleteLines, listLines, lockIdleCustomerCarts, pruneRemovedLines, touchCart } from '../db/cart.repository.js';
import { cartAggregate, idleSince } from '../domain/cart.js';
import type { CartDeps } from './deps.js';

/**
 * Customer carts idle for CART_TTL_DAYS are emptied (cart.expired, for a reminder mail), guest carts
 * idle for GUEST_CART_TTL_DAYS deleted, and removed lines past their undo window forgotten; a batch
 * per transaction, skipping carts another replica's sweep holds. Resolves with what it did.
 */
export async function expireCarts(deps: CartDeps, batchSize = 100): Promise<{ emptied: number; deleted: number }> {
  const now = deps.now();
  let emptied = 0;
  for (;;) {
    const done = await deps.transaction(async (tx) => {
      const carts = await lockIdleCustomerCarts(tx, idleSince(now, deps.config.CART_TTL_DAYS), batchSize);
      for (const cart of carts) {
        const lines = await listLines(tx, cart.id);
        await deleteLines(
          tx,
          lines.map((l) => l.id),
        );
        const touched = await touchCart(tx, cart.id, now);
        await deps.outbox.add(
          tx,
          cartExpired,
          { cartId: cart.id, customerId: cart.customerId, lastActivityAt: cart.updatedAt.toISOString(), expiredAt: now.toISOString() },
          cartAggregate(touched),
        );
      }
      return carts.length;
    });
    emptied += done;
    if (done < batchSize) break;
  }
  let deleted = 0;
  for (;;) {
    const done = await deps.transaction((tx) => deleteIdleGuestCarts(tx, idleSince(now, deps.config.GUEST_CART_TTL_DAYS), batchSize));
    deleted += done;
    if (done < batchSize) break;
  }
  await pruneRemovedLines(deps.db, new Date(now.getTime() - deps.config.CART_UNDO_WINDOW_SECONDS * 1_000));
  return { emptied, deleted };
}
