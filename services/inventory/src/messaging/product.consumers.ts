import type { Transaction } from '@shop/db';
import { productCreated, productUpdated } from '@shop/contracts';
import { on, startConsumer, type Broker, type Consumer } from '@shop/messaging';
import { applyProductRename } from '../app/apply-product-rename.use-case';
import type { InventoryDeps } from '../app/deps';
import { initializeStock } from '../app/initialize-stock.use-case';
import type { InventoryDatabase } from '../db/schema';

/** The catalog's product events: new products get stock rows, renamed ones keep alert texts right. */
export const PRODUCT_EVENTS_QUEUE = 'inventory.product-events';

export interface ProductConsumerOptions {
  broker: Broker;
  deps: InventoryDeps;
  retryDelaysMs: readonly number[];
  /** Wakes the outbox relay once a handler's transaction (with its stock events) commits. */
  afterCommit: () => void;
}

/**
 * Consumes `inventory.product-events`. The inbox records each event id in the handler's
 * transaction, so a redelivered product.created creates nothing twice.
 */
export function startProductConsumers(options: ProductConsumerOptions): Promise<Consumer> {
  const { deps } = options;
  return startConsumer({
    broker: options.broker,
    db: deps.db,
    logger: deps.logger,
    queue: PRODUCT_EVENTS_QUEUE,
    retryDelaysMs: options.retryDelaysMs,
    afterCommit: options.afterCommit,
    handlers: [
      on(productCreated, (event, tx) => initializeStock(deps, tx as Transaction<InventoryDatabase>, event.data)),
      on(productUpdated, (event, tx) => applyProductRename(deps, tx as Transaction<InventoryDatabase>, event.data)),
    ],
  });
}
