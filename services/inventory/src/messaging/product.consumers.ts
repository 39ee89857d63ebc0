import { productCreated, productUpdated, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { applyProductUpdate } from '../app/apply-product-update.use-case.js';
import type { InventoryDeps } from '../app/deps.js';
import { initializeStock } from '../app/initialize-stock.use-case.js';
import type { InventoryDatabase } from '../db/schema.js';

/**
 * Consumes `inventory.product-events`: new products get stock rows, updated ones keep alert texts
 * right and get rows for the variants they gained. The inbox records each event id in the
 * handler's transaction, so a redelivered product event creates nothing twice.
 */
export function startProductConsumer(deps: InventoryDeps, backbone: Backbone<InventoryDatabase>): Consumer {
  return startConsumer<InventoryDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.inventoryProductEvents,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: backbone.relay.wake,
    handlers: [
      on(productCreated, (event, tx) => initializeStock(deps, tx, event.data)),
      on(productUpdated, (event, tx) => applyProductUpdate(deps, tx, event.data)),
    ],
  });
}
