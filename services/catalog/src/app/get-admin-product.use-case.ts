import { assertFound } from '@shop/platform';
import { findProductById } from '../db/product.repository.js';
import type { CatalogDeps } from './deps.js';
import { toAdminProduct } from './products.js';

/** Admin: any product, drafts and deleted ones included. */
export async function getAdminProduct(deps: CatalogDeps, productId: string) {
  const product = await findProductById(deps.db, productId);
  assertFound(product, 'PRODUCT_NOT_FOUND', 'product not found', { productId });
  return toAdminProduct(product);
}
