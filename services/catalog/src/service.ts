import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, type Logger } from '@shop/platform';
import type { CatalogDeps } from './app/deps.js';
import type { CatalogConfig } from './config.js';
import type { CatalogDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startStockLevelConsumer } from './messaging/stock-levels.consumer.js';

const migrations = { scope: 'catalog', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningCatalogService = RunningService<CatalogDeps>;

/**
 * The catalog service: its HTTP routes and the consumer that keeps the stock status read model.
 * Admin tokens are verified against the customer service's JWKS; shopper routes need no token, and
 * neither does the internal product feed, which the gateway never routes.
 */
export function startCatalogService(
  config: Readonly<CatalogConfig>,
  logger: Logger = createLogger('catalog', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<RunningCatalogService> {
  return startService<CatalogDatabase, CatalogDeps>({
    name: 'catalog',
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
    background: (deps, backbone) => [startStockLevelConsumer(deps, backbone)],
  });
}
