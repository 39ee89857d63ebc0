import { inventoryStockChanged, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { applyStockChange } from '../app/apply-stock-change.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import type { CatalogDatabase } from '../db/schema.js';

/**
 * Consumes `catalog.stock-levels`: `inventory.stock-changed` into `variant_stock` and the
 * products' stock status. The inbox makes a redelivered event a no-op; the stock version makes an
 * older one arriving late a no-op. A changed stock status reaches the answer cache of this replica
 * and every other through the database's change notification, sent only when a status changed:
 * most stock changes alter no answer, so the answers are not dropped after every event.
 */
export function startStockLevelConsumer(deps: CatalogDeps, backbone: Backbone<CatalogDatabase>): Consumer {
  return startConsumer<CatalogDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.catalogStockLevels,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: backbone.relay.wake,
    handlers: [on(inventoryStockChanged, (event, tx) => applyStockChange(deps, tx, event.data))],
  });
}
