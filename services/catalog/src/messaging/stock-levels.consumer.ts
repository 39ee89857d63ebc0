import type { Kysely } from '@shop/db';
import { inventoryStockChanged } from '@shop/contracts';
import { on, startConsumer, type Broker, type Consumer } from '@shop/messaging';
import type { Logger } from '@shop/platform';
import { applyStockChange } from '../app/apply-stock-change.use-case';
import type { CatalogDatabase } from '../db/schema';

/** The catalog's stock status read model is fed from this queue. */
export const STOCK_LEVELS_QUEUE = 'catalog.stock-levels';

export interface StockLevelConsumerOptions {
  broker: Broker;
  db: Kysely<CatalogDatabase>;
  logger: Logger;
  retryDelaysMs: readonly number[];
  afterCommit: () => void;
  now: () => Date;
}

/**
 * Consumes `inventory.stock-changed` into `variant_stock` and the products' stock status. The inbox
 * makes a redelivered event a no-op; the stock version makes an older one arriving late a no-op.
 */
export function startStockLevelConsumer(options: StockLevelConsumerOptions): Promise<Consumer> {
  const { logger, now } = options;
  return startConsumer({
    broker: options.broker,
    db: options.db,
    logger,
    queue: STOCK_LEVELS_QUEUE,
    retryDelaysMs: options.retryDelaysMs,
    afterCommit: options.afterCommit,
    handlers: [on(inventoryStockChanged, (event, tx) => applyStockChange({ logger, now }, tx as Kysely<CatalogDatabase>, event.data))],
  });
}
