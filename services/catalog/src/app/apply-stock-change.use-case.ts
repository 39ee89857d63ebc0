import type { InventoryStockChangedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { Logger } from '@shop/platform';
import type { CatalogDatabase } from '../db/schema.js';
import { lockProductOfVariant, setProductStockStatus, upsertVariantStock, variantStockStatuses } from '../db/stock.repository.js';
import { productStockStatus } from '../domain/stock-status.js';

/**
 * Keeps the stock status read model: stores the variant's stock level unless a newer one is
 * already there, then recomputes its product's status in the same transaction. The product row is
 * locked first, so concurrent changes of one product's variants cannot overwrite each other's result.
 */
export async function applyStockChange(deps: { logger: Logger; now: () => Date }, tx: Transaction<CatalogDatabase>, change: InventoryStockChangedV1): Promise<void> {
  const productId = await lockProductOfVariant(tx, change.variantId);
  const stored = await upsertVariantStock(
    tx,
    {
      variantId: change.variantId,
      productId: change.productId,
      available: change.available,
      lowStockThreshold: change.lowStockThreshold,
      stockStatus: change.stockStatus,
      stockVersion: change.stockVersion,
    },
    deps.now(),
  );
  if (!stored) {
    deps.logger.debug('older stock level ignored', { variantId: change.variantId, stockVersion: change.stockVersion });
    return;
  }
  if (!productId) {
    deps.logger.warn('stock level for a variant the catalog does not know', { variantId: change.variantId, productId: change.productId });
    return;
  }
  await setProductStockStatus(tx, productId, productStockStatus(await variantStockStatuses(tx, productId)));
}
