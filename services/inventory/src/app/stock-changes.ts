import { inventoryLowStock, inventoryOutOfStock, inventoryStockChanged, type StockLevelFields } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { assertFound } from '@shop/platform';
import { insertAuditEntry } from '../db/audit.repository.js';
import type { InventoryDatabase, StockAction } from '../db/schema.js';
import { findStockByVariant, saveStockLevel } from '../db/stock.repository.js';
import { availableOf, evaluateAlerts, stockAggregate, stockStatusOf, type AlertDecision, type StockItem, type StockLevel } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';

type Tx = Transaction<InventoryDatabase>;

/** Why a stock row changes, for its audit entry. */
export interface StockChange {
  action: StockAction;
  at: Date;
  reason?: string | null;
  /** The admin who acted; absent when the system did. */
  userId?: string | null;
  orderId?: string | null;
}

/** The row of a variant, locked until the transaction ends; PRODUCT_NOT_FOUND when the variant has no stock. */
export async function lockStockItem(tx: Tx, variantId: string): Promise<StockItem> {
  const item = await findStockByVariant(tx, variantId, { forUpdate: true });
  assertFound(item, 'PRODUCT_NOT_FOUND', 'no stock is kept for this variant', { variantId });
  return item;
}

/**
 * Every change of a stock row goes through here, inside the caller's transaction and on a row it
 * has locked: the new level with its alert state (the version grows), the audit entry,
 * inventory.stock-changed for the read models, and the alerts whose line the change crossed.
 */
export async function applyStockChange(deps: InventoryDeps, tx: Tx, item: StockItem, next: StockLevel, change: StockChange): Promise<StockItem> {
  const alerts = evaluateAlerts(next, item);
  const updated = await saveStockLevel(tx, item.id, { ...next, ...alerts.state }, change.at);
  const figure = auditedFigure(change.action);
  await insertAuditEntry(
    tx,
    {
      variantId: item.variantId,
      action: change.action,
      previous: item[figure],
      new: updated[figure],
      delta: updated[figure] - item[figure],
      reason: change.reason ?? null,
      userId: change.userId ?? null,
      orderId: change.orderId ?? null,
    },
    change.at,
  );
  await announceStock(deps, tx, updated, alerts, change.at);
  return updated;
}

/** Publishes a row's current level (inventory.stock-changed) and the alerts decided for it. */
export async function announceStock(deps: InventoryDeps, tx: Tx, item: StockItem, alerts: AlertDecision, at: Date): Promise<void> {
  const ids = { inventoryId: item.id, variantId: item.variantId, productId: item.productId };
  // Alert texts name the product and the variant's SKU; rows that do not know them leave them out.
  const names = { productName: item.productName ?? undefined, sku: item.sku ?? undefined };
  await deps.outbox.add(tx, inventoryStockChanged, {
    ...ids,
    onHand: item.onHand,
    reserved: item.reserved,
    ...stockLevelFields(item),
    stockVersion: item.version,
    changedAt: at.toISOString(),
  }, stockAggregate(item));
  if (alerts.lowStock) {
    await deps.outbox.add(tx, inventoryLowStock, { ...ids, ...names, currentStock: availableOf(item), threshold: item.lowStockThreshold, triggeredAt: at.toISOString() }, stockAggregate(item));
    deps.logger.info('low stock', { variantId: item.variantId, available: availableOf(item), threshold: item.lowStockThreshold });
  }
  if (alerts.outOfStock) {
    await deps.outbox.add(tx, inventoryOutOfStock, { ...ids, ...names, triggeredAt: at.toISOString() }, stockAggregate(item));
    deps.logger.info('out of stock', { variantId: item.variantId });
  }
}

/** available, lowStockThreshold and stockStatus, as every admin stock event carries them. */
export function stockLevelFields(item: StockLevel): StockLevelFields {
  return { available: availableOf(item), lowStockThreshold: item.lowStockThreshold, stockStatus: stockStatusOf(item) };
}

/** The figure an action changes, which its audit entry's previous/new/delta describe. */
function auditedFigure(action: StockAction): keyof StockLevel {
  if (action === 'reserved' || action === 'released') return 'reserved';
  if (action === 'threshold_set') return 'lowStockThreshold';
  return 'onHand';
}
