import { assertFound } from '@shop/platform';
import { findStockByVariant } from '../db/stock.repository.js';
import type { InventoryDeps } from './deps.js';
import { toStockView } from './stock-view.js';

/** Admin: a variant's on hand, reserved and available stock with its threshold and status. */
export async function getStock(deps: InventoryDeps, variantId: string) {
  const item = await findStockByVariant(deps.db, variantId);
  assertFound(item, 'PRODUCT_NOT_FOUND', 'no stock is kept for this variant', { variantId });
  return toStockView(item);
}
