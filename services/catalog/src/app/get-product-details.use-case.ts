import { assertFound } from '@shop/platform';
import { findListedProduct } from '../db/product.repository.js';
import { effectivePrice } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';

/** View Product Details (seed flow 4): drafts, inactive and deleted products are not found, to shoppers. */
export async function getProductDetails(deps: CatalogDeps, productId: string) {
  const product = await findListedProduct(deps.db, productId);
  assertFound(product, 'PRODUCT_NOT_FOUND', 'product not found', { productId });
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: product.price,
    category: product.category,
    status: product.status,
    variants: product.variants.map((v) => ({ id: v.id, sku: v.sku, name: v.name, price: effectivePrice(product, v), stockStatus: v.stockStatus })),
    stockStatus: product.stockStatus,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
