import type { InventoryStockChangedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { saveStockLevel } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';

/** inventory.stock-changed: a variant's stock level, so carts show a sold-out line as not available; an older level is ignored. */
export async function applyStockLevel(tx: Transaction<CartDatabase>, change: InventoryStockChangedV1): Promise<void> {
  await saveStockLevel(tx, { variantId: change.variantId, available: change.available, stockStatus: change.stockStatus, stockVersion: change.stockVersion });
}
