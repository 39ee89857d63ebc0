import { cartItemRemoved } from '@shop/contracts';
import type { Outbox, Transaction } from '@shop/db';
import { TransientError } from '@shop/platform';
import { cartLinesOfProduct, deleteLines, lockCart, touchCart } from '../db/cart.repository.js';
import { knowsProduct, saveProductStatus } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';
import { cartAggregate } from '../domain/cart.js';

/**
 * product.deleted: the product leaves every cart (cart.item-removed, reason product-deleted), and
 * the read model remembers it is gone, so it cannot be added again.
 */
export async function removeDeletedProduct(deps: { outbox: Outbox; now: () => Date }, tx: Transaction<CartDatabase>, productId: string, version: number): Promise<void> {
  if (!(await knowsProduct(tx, productId))) throw new TransientError(`product ${productId} is not known yet; its product.created comes first`);
  await saveProductStatus(tx, productId, { deleted: true }, version);
  const now = deps.now();
  for (const line of await cartLinesOfProduct(tx, productId)) {
    await lockCart(tx, line.cart_id);
    const touched = await touchCart(tx, line.cart_id, now);
    await deleteLines(tx, [line.id]);
    await deps.outbox.add(
      tx,
      cartItemRemoved,
      { cartId: line.cart_id, customerId: line.customer_id, cartItemId: line.id, productId, variantId: line.variant_id, reason: 'product-deleted', removedAt: now.toISOString() },
      cartAggregate(touched),
    );
  }
}
