import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, startPeriodicJob, type Logger } from '@shop/platform';
import { createCatalogFeedClient } from './adapters/catalog-feed.client.js';
import { createStockClient } from './adapters/inventory.client.js';
import { backfillReadModels } from './app/backfill-read-models.use-case.js';
import type { CartDeps } from './app/deps.js';
import { expireCarts } from './app/expire-carts.use-case.js';
import type { CartConfig } from './config.js';
import type { CartDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startCatalogConsumer, startCustomerConsumer, startStockConsumer } from './messaging/cart.consumers.js';

const migrations = { scope: 'cart', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningCartService = RunningService<CartDeps>;

/**
 * The cart service: shoppers' carts over HTTP, the product and stock read models fed by events
 * (and filled from the catalog's and inventory's feeds at start), merges of guest carts named at
 * login, and the sweep that empties idle carts.
 */
export function startCartService(config: Readonly<CartConfig>, logger: Logger = createLogger('cart', config.LOG_LEVEL), signal?: AbortSignal): Promise<RunningCartService> {
  return startService<CartDatabase, CartDeps>({
    name: 'cart',
    config,
    migrations,
    logger,
    signal,
    build: ({ db, outbox, transaction }) => ({
      db,
      transaction,
      outbox,
      config,
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      stock: createStockClient({ baseUrl: config.INVENTORY_SERVICE_URL, timeoutMs: config.SERVICE_CALL_TIMEOUT_MS, logger }),
      logger,
      now: () => new Date(),
    }),
    routes: mountRoutes,
    background(deps, backbone) {
      const stopping = new AbortController();
      const catalog = createCatalogFeedClient({ baseUrl: config.CATALOG_SERVICE_URL, timeoutMs: config.SERVICE_CALL_TIMEOUT_MS, logger });
      const backfill = config.CATALOG_BACKFILL
        ? backfillReadModels(deps, catalog, stopping.signal).then((copied) => logger.info('read models filled from the feeds', copied))
        : Promise.resolve();
      return [
        {
          async stop() {
            stopping.abort();
            await backfill;
            catalog.close();
            deps.stock.close();
          },
        },
        startCatalogConsumer(deps, backbone),
        startStockConsumer(deps, backbone),
        startCustomerConsumer(deps, backbone),
        startPeriodicJob({
          name: 'expire idle carts',
          intervalMs: config.CART_EXPIRY_INTERVAL_MS,
          logger,
          run: async () => {
            const done = await expireCarts(deps);
            if (done.emptied + done.deleted > 0) logger.info('idle carts expired', done);
          },
        }),
      ];
    },
  });
}
