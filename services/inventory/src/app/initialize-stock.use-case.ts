import type { ProductCreatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { InventoryDatabase } from '../db/schema.js';
import { lockStockByVariants } from '../db/stock.repository.js';
import { isStandIn, setQuantity } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { OPENING_REASONS, openStock } from './open-stock.js';
import { applyStockChange } from './stock-changes.js';

/**
 * SEQ-PROD-001 step 4: a stock row per variant of a new product, with the initial stock on hand.
 * Runs in the consumer's transaction (with the inbox entry); a variant that already has a row keeps
 * it, so a product event delivered twice creates one row. A product created without stock alerts
 * at once: it is out of stock from the start. One exception: a row the catalog feed opened before
 * this event arrived (a new inventory filling in while the event still waited in its queue) that
 * nothing has changed since takes the initial stock, as if the event had come first.
 */
export async function initializeStock(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, product: ProductCreatedV1): Promise<void> {
  const at = deps.now();
  const opened = await openStock(
    deps,
    tx,
    [{ productId: product.productId, productName: product.name, nameAt: new Date(product.createdAt), variants: product.variants }],
    { origin: 'product_created', onHand: product.initialStock, userId: product.createdBy, at },
  );
  const openedIds = new Set(opened.map((item) => item.variantId));
  const existing = await lockStockByVariants(tx, product.variants.map((v) => v.variantId).filter((id) => !openedIds.has(id)));
  let takenOver = 0;
  for (const item of existing.values()) {
    if (!isStandIn(item) || item.onHand === product.initialStock) continue;
    await applyStockChange(deps, tx, item, setQuantity(item, product.initialStock), {
      action: 'initialized',
      at,
      reason: OPENING_REASONS.product_created,
      userId: product.createdBy,
    });
    takenOver += 1;
  }
  deps.logger.info('stock initialized', { productId: product.productId, variants: opened.length, takenOver, alreadyKnown: existing.size - takenOver });
}
