import type { ProductUpdatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { TransientError } from '@shop/platform';
import type { InventoryDatabase } from '../db/schema';
import { renameProduct } from '../db/stock.repository';
import type { InventoryDeps } from './deps';

/**
 * Keeps the product name the stock alerts mention up to date; other product changes do not
 * concern stock. An update of a product whose stock rows do not exist yet arrived before its
 * product.created: it is retried until that has been applied, so the rename is not lost.
 */
export async function applyProductRename(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, update: ProductUpdatedV1): Promise<void> {
  const name = update.name ?? update.changedFields.name;
  if (name === undefined) return;
  const renamed = await renameProduct(tx, update.productId, name, new Date(update.updatedAt));
  if (renamed.matched === 0) throw new TransientError(`product ${update.productId} has no stock rows yet; its product.created comes first`);
  deps.logger.debug('product renamed', { productId: update.productId, variants: renamed.updated });
}
