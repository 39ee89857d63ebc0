import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, startPeriodicJob, type Logger } from '@shop/platform';
import type { InventoryDeps } from './app/deps';
import { expireReservations } from './app/expire-reservations.use-case';
import type { InventoryConfig } from './config';
import type { InventoryDatabase } from './db/schema';
import { internalRoutes } from './http/internal.routes';
import { inventoryRoutes } from './http/inventory.routes';
import { startProductConsumer } from './messaging/product.consumers';

const migrations = { scope: 'inventory', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningInventoryService = RunningService<InventoryDeps>;

/**
 * The inventory service: admin and internal HTTP routes, the consumer of the catalog's product
 * events, and the sweep that releases holds no order committed in time. Checkout can reserve
 * while RabbitMQ is down: events wait in the outbox.
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
    routes(router, deps) {
      inventoryRoutes(router, deps);
      internalRoutes(router, deps);
    },
    background: (deps, backbone) => [
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
    ],
  });
}
