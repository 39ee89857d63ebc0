import { fileURLToPath } from 'node:url';
import { listenForChanges } from '@shop/db';
import { startService, type RunningService } from '@shop/messaging';
import { answerCacheOptions, createAnswerCache, createLogger, createTokenVerifier, startPeriodicJob, type Logger } from '@shop/platform';
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

/**
 * The channel the cart's triggers notify on when a change to what a cart answer shows commits
 * (migration 0002): the payload names the cart changed, or is empty when a read model changed
 * (a product, a variant's price, a stock status), which may show in any cart.
 */
const CHANGES_CHANNEL = 'cart_changed';

export type RunningCartService = RunningService<CartDeps>;

/**
 * The cart service: shoppers' carts over HTTP, the product and stock read models fed by events
 * (and filled from the catalog's and inventory's feeds at start), merges of guest carts named at
 * login, the sweep that empties idle carts, and the listener that tells its answer cache of every
 * change committed to the cart's database.
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
      answers: createAnswerCache(answerCacheOptions(config)),
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
        listenForChanges({
          url: config.DATABASE_URL,
          logger,
          channel: CHANGES_CHANNEL,
          applicationName: 'cart change listener',
          // Four heartbeats per staleness window: one late or lost heartbeat does not yet cost the kept answers.
          heartbeatMs: Math.floor(config.CACHE_MAX_STALENESS_MS / 4),
          now: deps.answers.now,
          // A cart's id drops its answer alone; a read model change, or a (re)connection, drops every cart.
          onChange: (cartId) => (cartId ? deps.answers.invalidate(cartId) : deps.answers.invalidate()),
          onConfirmed: deps.answers.confirmed,
        }),
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
