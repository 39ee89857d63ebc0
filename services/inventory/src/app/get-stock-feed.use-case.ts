import { listStockAfter } from '../db/stock.repository.js';
import { availableOf, stockStatusOf } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';

export interface StockFeedPage {
  /** The variant id the page starts after (exclusive); none: from the first row. */
  after?: string;
  limit: number;
}

/**
 * The internal stock feed the cart service fills its availability read model from: every stock
 * row in variant id order after `after`, with the figures inventory.stock-changed carries
 * (`stockVersion` orders a row's feed entry and its events). `next` is the last variant id of a
 * full page, null once a page comes back short.
 */
export async function getStockFeed(deps: InventoryDeps, page: StockFeedPage) {
  const items = await listStockAfter(deps.db, page);
  const last = items.at(-1);
  return {
    items: items.map((item) => ({
      variantId: item.variantId,
      productId: item.productId,
      available: availableOf(item),
      stockStatus: stockStatusOf(item),
      lowStockThreshold: item.lowStockThreshold,
      stockVersion: item.version,
    })),
    next: last && items.length === page.limit ? last.variantId : null,
  };
}
