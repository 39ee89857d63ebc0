import { randomUUID } from 'node:crypto';
import type { Transaction } from '@shop/db';
import { insertAuditEntry } from '../db/audit.repository.js';
import type { InventoryDatabase } from '../db/schema.js';
import { insertStockItems, type VariantSku } from '../db/stock.repository.js';
import { evaluateAlerts, type StockItem, type StockLevel, type StockOrigin } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { announceStock } from './stock-changes.js';

/** Said in the audit entry that opens a stock row, by where the row came from. */
export const OPENING_REASONS: Readonly<Record<StockOrigin, string>> = {
  product_created: 'product created',
  product_updated: 'variant added to the product',
  catalog_feed: 'filled in from the catalog feed',
};

/** Variants of one product to keep stock for. */
export interface ProductVariants {
  productId: string;
  /** The product's name, for the alerts' texts. */
  productName: string | null;
  /** When that name was current: a rename from before it does not replace it. */
  nameAt: Date;
  /** Each with its SKU, for the alerts' texts too. */
  variants: VariantSku[];
}

/** How the rows open: with what on hand, from where, by whom, when. */
export interface StockOpening {
  origin: StockOrigin;
  onHand: number;
  /** The admin behind it; null when the system acted. */
  userId: string | null;
  at: Date;
}

/**
 * The one way stock rows come to be, inside the caller's transaction: a row for each of these
 * variants that has none yet, with the on-hand quantity given and the default low-stock threshold,
 * audited as `initialized`, announced with inventory.stock-changed and the alerts its level calls
 * for (a row opened at 0 is out of stock from the start). A variant that already has a row keeps it
 * as it is (the unique index decides, also between transactions at once), so opening the same
 * variants twice makes one row. Returns the rows opened.
 */
export async function openStock(deps: InventoryDeps, tx: Transaction<InventoryDatabase>, products: ProductVariants[], opening: StockOpening): Promise<StockItem[]> {
  const level: StockLevel = { onHand: opening.onHand, reserved: 0, lowStockThreshold: deps.config.DEFAULT_LOW_STOCK_THRESHOLD };
  const alerts = evaluateAlerts(level, { lowStockAlerted: false, outOfStockAlerted: false });
  const opened = await insertStockItems(
    tx,
    products.flatMap((product) =>
      product.variants.map((variant) => ({
        id: randomUUID(),
        variantId: variant.variantId,
        productId: product.productId,
        productName: product.productName,
        productNameAt: product.nameAt,
        sku: variant.sku,
        onHand: level.onHand,
        lowStockThreshold: level.lowStockThreshold,
        origin: opening.origin,
        ...alerts.state,
      })),
    ),
  );
  for (const item of opened) {
    await insertAuditEntry(
      tx,
      { variantId: item.variantId, action: 'initialized', previous: 0, new: item.onHand, delta: item.onHand, reason: OPENING_REASONS[opening.origin], userId: opening.userId, orderId: null },
      opening.at,
    );
    await announceStock(deps, tx, item, alerts, opening.at);
  }
  return opened;
}
