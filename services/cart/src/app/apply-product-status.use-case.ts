import type { Transaction } from '@shop/db';
import { TransientError } from '@shop/platform';
import { knowsProduct, saveProductStatus } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';

/**
 * product.activated / product.deactivated: lines of an inactive product stay in carts, shown as
 * not available. A product the cart has not heard of yet is retried.
 */
export async function applyProductStatus(tx: Transaction<CartDatabase>, productId: string, status: 'active' | 'inactive', version: number): Promise<void> {
  if (!(await knowsProduct(tx, productId))) throw new TransientError(`product ${productId} is not known yet; its product.created comes first`);
  await saveProductStatus(tx, productId, { status }, version);
}
