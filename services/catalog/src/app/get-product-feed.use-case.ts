import { listProductsAfter, type ProductFeedPage } from '../db/product.repository.js';
import type { CatalogDeps } from './deps.js';
import { toProductSnapshot } from './products.js';

/**
 * The internal product feed other services fill their read models from when they start against a
 * catalog that already has products: every product, deleted ones flagged, in id order after
 * `after`. `next` is the last id of a full page (the `after` of the next one), null once a page
 * comes back short: then the feed has been read to its end.
 */
export async function getProductFeed(deps: CatalogDeps, page: ProductFeedPage) {
  const products = await listProductsAfter(deps.db, page);
  const last = products.at(-1);
  return { items: products.map(toProductSnapshot), next: last && products.length === page.limit ? last.id : null };
}
