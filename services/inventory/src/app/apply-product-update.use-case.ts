import type { ProductUpdatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { TransientError } from '@shop/platform';
import type { InventoryDatabase } from '../db/schema.js';
import { findProductName, refreshSkus, renameProduct } from '../db/stock.repository.js';
import type { InventoryDeps } from './deps.js';
import { openStock } from './open-stock.js';

/**
 * What a product's update means for its stock: a new name and the variants' SKUs reach the texts of
 * the stock alerts, and a variant the product has gained gets a stock row (0 on hand, the default
 * threshold, audited and announced like every new row); other product changes do not concern
 * stock. An update of a product whose stock rows do not exist yet arrived before its
 * product.created: it is retried until that has been applied, so the rename is not lost and no row
 * gets ahead of the initial stock.
 */
export async function applyProductUpdate(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, update: ProductUpdatedV1): Promise<void> {
  const name = update.name ?? update.changedFields.name;
  if (name === undefined && update.variants.length === 0) return;
  if (name !== undefined) {
    const renamed = await renameProduct(tx, update.productId, name, new Date(update.updatedAt));
    if (renamed.matched === 0) throw notCreatedYet(update.productId);
    deps.logger.debug('product renamed', { productId: update.productId, variants: renamed.updated });
  }
  if (update.variants.length === 0) return;

  // New rows carry the name the product's other rows have now (this update's, unless a newer one got there first).
  const current = await findProductName(tx, update.productId);
  if (!current) throw notCreatedYet(update.productId);
  const opened = await openStock(
    deps,
    tx,
    [{ productId: update.productId, productName: current.name, nameAt: current.at, variants: update.variants }],
    { origin: 'product_updated', onHand: 0, userId: update.updatedBy, at: deps.now() },
  );
  if (opened.length > 0) deps.logger.info('stock opened for new variants', { productId: update.productId, variants: opened.length });
  const refreshed = await refreshSkus(tx, update.variants, new Date(update.updatedAt));
  if (refreshed > 0) deps.logger.debug('variant SKUs refreshed', { productId: update.productId, variants: refreshed });
}

function notCreatedYet(productId: string): TransientError {
  return new TransientError(`product ${productId} has no stock rows yet; its product.created comes first`);
}
