import { assertFound } from '@shop/platform';
import { listPriceChanges } from '../db/price-audit.repository.js';
import { findProductById } from '../db/product.repository.js';
import type { CatalogDeps } from './deps.js';

/** Admin: who changed a product's price, when, from what to what; newest first. Deleted products keep their trail. */
export async function listPriceAudit(deps: CatalogDeps, productId: string, page: { page: number; pageSize: number }) {
  assertFound(await findProductById(deps.db, productId), 'PRODUCT_NOT_FOUND', 'product not found', { productId });
  const { items, total } = await listPriceChanges(deps.db, productId, page);
  return {
    items: items.map((c) => ({ changedBy: c.changedBy, changedAt: c.changedAt.toISOString(), oldPrice: c.oldPrice, newPrice: c.newPrice })),
    page: page.page,
    pageSize: page.pageSize,
    total,
  };
}
