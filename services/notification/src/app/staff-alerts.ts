import type { EventEnvelope, InventoryLowStockV1, InventoryOutOfStockV1, OrderCarrierUpdateUnmatchedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { NotificationDatabase } from '../db/schema.js';
import { queueAlert, type MailingDeps } from './mailing.js';

type Tx = Transaction<NotificationDatabase>;

/** Stock alerts name the product and SKU; an event from before they were carried says so instead. */
const UNNAMED = { productName: 'a product without a name on record', sku: 'SKU not on record' };

export function onLowStock(deps: MailingDeps, tx: Tx, event: EventEnvelope<InventoryLowStockV1>): Promise<void> {
  const { productId, variantId, productName, sku, currentStock, threshold, triggeredAt } = event.data;
  return queueAlert(deps, tx, event, 'low-stock-alert', {
    productId,
    variantId,
    productName: productName ?? UNNAMED.productName,
    sku: sku ?? UNNAMED.sku,
    currentStock,
    threshold,
    triggeredAt,
  });
}

export function onOutOfStock(deps: MailingDeps, tx: Tx, event: EventEnvelope<InventoryOutOfStockV1>): Promise<void> {
  const { productId, variantId, productName, sku, triggeredAt } = event.data;
  return queueAlert(deps, tx, event, 'out-of-stock-alert', { productId, variantId, productName: productName ?? UNNAMED.productName, sku: sku ?? UNNAMED.sku, triggeredAt });
}

export function onUnmatchedTracking(deps: MailingDeps, tx: Tx, event: EventEnvelope<OrderCarrierUpdateUnmatchedV1>): Promise<void> {
  const { trackingNumber, carrierStatus, receivedAt } = event.data;
  return queueAlert(deps, tx, event, 'unknown-tracking-alert', { trackingNumber, carrierStatus, receivedAt });
}
