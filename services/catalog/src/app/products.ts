import type { ProductSnapshot, ProductVariant } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import type { Kysely } from '@shop/db';
import type { CatalogDatabase } from '../db/schema.js';
import { findProductById } from '../db/product.repository.js';
import { effectivePrice, type Product } from '../domain/product.js';

/** The product to change, locked for the transaction; a deleted one is as good as gone. */
export async function lockLiveProduct(tx: Kysely<CatalogDatabase>, productId: string): Promise<Product> {
  const product = await findProductById(tx, productId, { forUpdate: true });
  const live = product?.deletedAt ? undefined : product;
  assertFound(live, 'PRODUCT_NOT_FOUND', 'product not found', { productId });
  return live;
}

/** The product as admins see it: any status, deleted ones with their deletion time. */
export function toAdminProduct(product: Product) {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: product.price,
    categoryId: product.categoryId,
    status: product.status,
    stockStatus: product.stockStatus,
    variants: product.variants.map((v) => ({ id: v.id, sku: v.sku, name: v.name, price: effectivePrice(product, v) })),
    createdBy: product.createdBy,
    updatedBy: product.updatedBy,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
    deletedAt: product.deletedAt?.toISOString() ?? null,
  };
}

/** Variants as events carry them: each with the price it sells at. */
export function eventVariants(product: Product): ProductVariant[] {
  return product.variants.map((v) => ({ variantId: v.id, sku: v.sku, name: v.name, price: effectivePrice(product, v) }));
}

/**
 * A product as the internal feed gives it to other services' read models: what its events say
 * about it, at the version its latest event carries.
 */
export function toProductSnapshot(product: Product): ProductSnapshot {
  return {
    productId: product.id,
    name: product.name,
    status: product.status,
    deleted: product.deletedAt !== null,
    price: product.price,
    variants: eventVariants(product),
    version: product.version,
  };
}
