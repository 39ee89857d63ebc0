import { fileURLToPath } from 'node:url';
import { openBackbone, type RunningService } from '@shop/messaging';
import { createApp, createLogger, createTokenVerifier, listen, type Logger } from '@shop/platform';
import type { InventoryDeps } from './app/deps';
import type { InventoryConfig } from './config';
import type { InventoryDatabase } from './db/schema';
import { internalRoutes } from './http/internal.routes';
import { inventoryRoutes } from './http/inventory.routes';
import { startProductConsumers } from './messaging/product.consumers';

const migrations = { scope: 'inventory', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningInventoryService = RunningService<InventoryDeps>;

/**
 * Wires the inventory service: its backbone (database, broker, outbox relay), the consumer of the
 * catalog's product events, and the admin and internal HTTP routes.
 */
export async function startInventoryService(config: Readonly<InventoryConfig>, logger: Logger = createLogger('inventory', config.LOG_LEVEL)): Promise<RunningInventoryService> {
  const backbone = await openBackbone<InventoryDatabase>({ service: 'inventory', config, migrations, logger });
  try {
    const { db, broker, outbox, transaction, relay } = backbone;
    const deps: InventoryDeps = {
      db,
      transaction,
      outbox,
      config,
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      logger,
      now: () => new Date(),
    };
    relay.start();

    const app = createApp({
      name: 'inventory',
      logger,
      readiness: backbone.readiness,
      routes: (router) => {
        inventoryRoutes(router, deps);
        internalRoutes(router, deps);
      },
    });
    const server = await listen(app, config.PORT, config.HOST);
    // HTTP first: checkout must be able to reserve while RabbitMQ is down (events wait in the
    // outbox); the consumer starts consuming once the broker answers.
    const consumer = await startProductConsumers({ broker, deps, retryDelaysMs: config.CONSUMER_RETRY_DELAYS_MS, afterCommit: relay.wake });

    logger.info('inventory service listening', { url: server.url });
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
