import { subtreeIds } from '../db/category.repository.js';
import { browseProducts as findListed, type BrowseQuery } from '../db/product.repository.js';
import type { CatalogDeps } from './deps.js';

export interface BrowseProductsInput extends Omit<BrowseQuery, 'categoryIds'> {
  categoryId?: string;
}

/**
 * Browse Products (seed flow 3): active products only, from the catalog's own tables; the stock
 * status comes from the read model on the product row, never from a call to the inventory service.
 * A category filter covers the category and all its sub-categories; an unknown one matches nothing.
 */
export async function browseProducts(deps: CatalogDeps, input: BrowseProductsInput) {
  const { categoryId, ...query } = input;
  const categoryIds = categoryId === undefined ? undefined : await subtreeIds(deps.db, categoryId);
  const { items, total } =
    categoryIds?.length === 0 ? { items: [], total: 0 } : await findListed(deps.db, { ...query, ...(categoryIds && { categoryIds }) });
  return {
    items: items.map((p) => ({ id: p.id, name: p.name, price: p.price, categoryId: p.categoryId, stockStatus: p.stockStatus, createdAt: p.createdAt.toISOString() })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}
