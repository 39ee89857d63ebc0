import { fileURLToPath } from 'node:url';
import { openBackbone, type RunningService } from '@shop/messaging';
import { createApp, createLogger, createTokenVerifier, listen, type Logger } from '@shop/platform';
import type { CatalogDeps } from './app/deps';
import type { CatalogConfig } from './config';
import type { CatalogDatabase } from './db/schema';
import { adminRoutes } from './http/admin.routes';
import { categoryRoutes } from './http/category.routes';
import { productRoutes } from './http/product.routes';
import { startStockLevelConsumer } from './messaging/stock-levels.consumer';

const migrations = { scope: 'catalog', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningCatalogService = RunningService<CatalogDeps>;

/**
 * Wires the catalog service: its backbone (database, broker, outbox relay), the consumer that
 * keeps the stock status read model, and the HTTP routes. Admin tokens are verified against the
 * customer service's JWKS; shopper routes need no token.
 */
export async function startCatalogService(config: Readonly<CatalogConfig>, logger: Logger = createLogger('catalog', config.LOG_LEVEL)): Promise<RunningCatalogService> {
  const backbone = await openBackbone<CatalogDatabase>({ service: 'catalog', config, migrations, logger });
  try {
    const { db, broker, outbox, transaction, relay } = backbone;
    const deps: CatalogDeps = {
      db,
      transaction,
      outbox,
      config,
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      logger,
      now: () => new Date(),
    };
    const consumer = await startStockLevelConsumer({
      broker,
      db,
      logger,
      retryDelaysMs: config.CONSUMER_RETRY_DELAYS_MS,
      afterCommit: relay.wake,
      now: deps.now,
    });

    const app = createApp({
      name: 'catalog',
      logger,
      readiness: backbone.readiness,
      routes: (router) => {
        categoryRoutes(router, deps);
        productRoutes(router, deps);
        adminRoutes(router, deps);
      },
    });
    const server = await listen(app, config.PORT, config.HOST);
    relay.start();
    logger.info('catalog service listening', { url: server.url });

    return {
      url: server.url,
      port: server.port,
      deps,
      drainOutbox: relay.drain,
      async stop() {
        await server.close();
        await consumer.close();
        await backbone.close();
      },
    };
  } catch (err) {
    await backbone.close();
    throw err;
  }
}
