import { findStockLevels } from '../db/stock.repository.js';
import { availableOf, stockStatusOf } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';

/** For the cart and checkout: available stock of many variants in one query, in the order asked; unknown variants are left out. */
export async function queryStock(deps: InventoryDeps, variantIds: string[]) {
  // Lower-cased as PostgreSQL writes uuids, so answers match what was asked for.
  const wanted = [...new Set(variantIds.map((id) => id.toLowerCase()))];
  const byVariant = new Map((await findStockLevels(deps.db, wanted)).map((item) => [item.variantId, item]));
  return {
    items: wanted.flatMap((variantId) => {
      const item = byVariant.get(variantId);
      return item ? [{ variantId, available: availableOf(item), stockStatus: stockStatusOf(item) }] : [];
    }),
  };
}
