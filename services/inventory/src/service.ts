import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, startPeriodicJob, type Logger, type Stoppable } from '@shop/platform';
import { createCatalogFeedClient } from './adapters/catalog-feed.client.js';
import { backfillStock } from './app/backfill-stock.use-case.js';
import type { InventoryDeps } from './app/deps.js';
import { expireReservations } from './app/expire-reservations.use-case.js';
import type { InventoryConfig } from './config.js';
import type { InventoryDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startProductConsumer } from './messaging/product.consumers.js';

const migrations = { scope: 'inventory', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningInventoryService = RunningService<InventoryDeps>;

/**
 * The inventory service: admin and internal HTTP routes, the consumer of the catalog's product
 * events, the sweep that releases holds no order committed in time, and (unless CATALOG_BACKFILL
 * is false) the start-up backfill of stock rows from the catalog's product feed. Checkout can
 * reserve while RabbitMQ is down: events wait in the outbox.
 */
export function startInventoryService(
  config: Readonly<InventoryConfig>,
  logger: Logger = createLogger('inventory', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<RunningInventoryService> {
  return startService<InventoryDatabase, InventoryDeps>({
    name: 'inventory',
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
      logger,
      now: () => new Date(),
    }),
    routes: mountRoutes,
    background(deps, backbone) {
      const jobs: Stoppable[] = [
        startProductConsumer(deps, backbone),
        startPeriodicJob({
          name: 'release expired holds',
          intervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
          logger,
          run: async () => {
            const released = await expireReservations(deps);
            if (released > 0) logger.info('expired holds released', { released });
          },
        }),
      ];
      if (config.CATALOG_BACKFILL) jobs.push(startCatalogBackfill(deps));
      return jobs;
    },
  });
}

/**
 * The backfill from the catalog feed, once, in the background. Stopped first (the last job
 * started): a feed call or pause under way is abandoned at once, a page being applied commits.
 */
function startCatalogBackfill(deps: InventoryDeps): Stoppable {
  const feed = createCatalogFeedClient({ baseUrl: deps.config.CATALOG_SERVICE_URL, pageSize: deps.config.CATALOG_FEED_PAGE_SIZE, logger: deps.logger });
  const stopping = new AbortController();
  const running = backfillStock(deps, feed, stopping.signal).catch((err: unknown) => {
    deps.logger.error('stock backfill from the catalog feed failed', { error: err instanceof Error ? err.stack : String(err) });
  });
  return {
    async stop() {
      stopping.abort();
      await running;
      feed.close();
    },
  };
}
