import type { ProductUpdatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { InventoryDatabase } from '../db/schema';
import { renameProduct } from '../db/stock.repository';
import type { InventoryDeps } from './deps';

/** Keeps the product name the stock alerts mention up to date; other product changes do not concern stock. */
export async function applyProductRename(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, update: ProductUpdatedV1): Promise<void> {
  const name = update.changedFields.name;
  if (name === undefined) return;
  const renamed = await renameProduct(tx, update.productId, name, new Date(update.updatedAt));
  deps.logger.debug('product renamed', { productId: update.productId, variants: renamed });
}
