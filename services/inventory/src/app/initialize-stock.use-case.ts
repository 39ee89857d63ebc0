import { randomUUID } from 'node:crypto';
import type { ProductCreatedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { insertAuditEntry } from '../db/audit.repository';
import type { InventoryDatabase } from '../db/schema';
import { insertStockItems } from '../db/stock.repository';
import { evaluateAlerts, type StockLevel } from '../domain/stock';
import type { InventoryDeps } from './deps';
import { announceStock } from './stock-changes';

/** Said in the audit of a stock row created from the catalog. */
export const INITIALIZED_REASON = 'product created';

/**
 * SEQ-PROD-001 step 4: a stock row per variant of a new product, with the initial stock on hand.
 * Runs in the consumer's transaction (with the inbox entry); a variant that already has a row keeps
 * it, so a product event delivered twice creates one row. A product created without stock alerts
 * at once: it is out of stock from the start.
 */
export async function initializeStock(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, product: ProductCreatedV1): Promise<void> {
  const at = deps.now();
  const level: StockLevel = { onHand: product.initialStock, reserved: 0, lowStockThreshold: deps.config.DEFAULT_LOW_STOCK_THRESHOLD };
  const alerts = evaluateAlerts(level, { lowStockAlerted: false, outOfStockAlerted: false });
  const created = await insertStockItems(
    tx,
    product.variants.map((variant) => ({
      id: randomUUID(),
      variantId: variant.variantId,
      productId: product.productId,
      productName: product.name,
      productNameAt: new Date(product.createdAt),
      onHand: level.onHand,
      lowStockThreshold: level.lowStockThreshold,
      ...alerts.state,
    })),
  );
  for (const item of created) {
    await insertAuditEntry(
      tx,
      { variantId: item.variantId, action: 'initialized', previous: 0, new: item.onHand, delta: item.onHand, reason: INITIALIZED_REASON, userId: product.createdBy, orderId: null },
      at,
    );
    await announceStock(deps, tx, item, alerts, at);
  }
  deps.logger.info('stock initialized', { productId: product.productId, variants: created.length, alreadyKnown: product.variants.length - created.length });
}
