import type { ProductUpdatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { TransientError } from '@shop/platform';
import { knowsProduct, saveProductUpdate } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';

/**
 * product.updated: the new name and every variant at its current price; carts show them from now
 * on. An update of a product the cart has not heard of yet came before its creation: retried.
 */
export async function applyProductUpdate(tx: Transaction<CartDatabase>, update: ProductUpdatedV1, version: number): Promise<void> {
  if (!(await knowsProduct(tx, update.productId))) throw new TransientError(`product ${update.productId} is not known yet; its product.created comes first`);
  const current = await tx.selectFrom('catalog_products').select('name').where('product_id', '=', update.productId).executeTakeFirstOrThrow();
  await saveProductUpdate(tx, { productId: update.productId, name: update.name ?? update.changedFields.name ?? current.name, variants: update.variants }, version);
}
