import { listProducts, type AdminProductQuery } from '../db/product.repository.js';
import type { CatalogDeps } from './deps.js';
import { toAdminProduct } from './products.js';

/** Admin: products newest first, by status (or the deleted ones). */
export async function listAdminProducts(deps: CatalogDeps, query: AdminProductQuery) {
  const { items, total } = await listProducts(deps.db, query);
  return { items: items.map(toAdminProduct), page: query.page, pageSize: query.pageSize, total };
}
