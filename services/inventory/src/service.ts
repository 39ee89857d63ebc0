import { fileURLToPath } from 'node:url';
import { connectDatabase, createOutbox, createOutboxRelay, migrate, pingDatabase, platformMigrations, transactionRunner } from '@shop/db';
import { connectBroker } from '@shop/messaging';
import { createApp, createLogger, createTokenVerifier, listen, type Logger } from '@shop/platform';
import type { InventoryDeps } from './app/deps';
import type { InventoryConfig } from './config';
import type { InventoryDatabase } from './db/schema';
import { internalRoutes } from './http/internal.routes';
import { inventoryRoutes } from './http/inventory.routes';
import { startProductConsumers } from './messaging/product.consumers';

const migrations = { scope: 'inventory', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export interface RunningInventoryService {
  url: string;
  port: number;
  deps: InventoryDeps;
  /** Publishes pending outbox rows now (tests use it instead of waiting for a poll). */
  drainOutbox(): Promise<number>;
  /** Closes the consumer, HTTP, the outbox relay, the broker and the database, in that order. */
  stop(): Promise<void>;
}

/**
 * Wires the inventory service: its database (created and migrated), the broker, the outbox relay,
 * the consumer of the catalog's product events, and the admin and internal HTTP routes.
 */
export async function startInventoryService(config: Readonly<InventoryConfig>, logger: Logger = createLogger('inventory', config.LOG_LEVEL)): Promise<RunningInventoryService> {
  // Each step's undo, newest first: stop() runs them all, a failed start the ones it got to.
  const undo: { name: string; run: () => Promise<void> | void }[] = [];
  const stopAll = async () => {
    const failed: string[] = [];
    for (const step of undo.splice(0)) {
      try {
        await step.run();
      } catch (err) {
        failed.push(step.name);
        logger.error('stopping failed', { step: step.name, error: String(err) });
      }
    }
    if (failed.length > 0) throw new Error(`could not stop: ${failed.join(', ')}`);
  };

  try {
    const db = await connectDatabase<InventoryDatabase>({ url: config.DATABASE_URL, logger, poolSize: config.DATABASE_POOL_SIZE });
    undo.unshift({ name: 'database', run: () => db.destroy() });
    await migrate(db, [platformMigrations, migrations], logger);

    const broker = connectBroker({ url: config.AMQP_URL, name: 'inventory', logger });
    undo.unshift({ name: 'broker', run: () => broker.close() });

    const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
    const deps: InventoryDeps = {
      db,
      transaction: transactionRunner(db, relay.wake),
      outbox: createOutbox('inventory'),
      config,
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      logger,
      now: () => new Date(),
    };
    relay.start();
    undo.unshift({ name: 'outbox relay', run: () => relay.stop() });

    const app = createApp({
      name: 'inventory',
      logger,
      readiness: { database: () => pingDatabase(db), broker: broker.ping },
      routes: (router) => {
        inventoryRoutes(router, deps);
        internalRoutes(router, deps);
      },
    });
    const server = await listen(app, config.PORT, config.HOST);
    undo.unshift({ name: 'http', run: () => server.close() });

    // HTTP first: checkout must be able to reserve while RabbitMQ is down (events wait in the
    // outbox); the consumer starts once the broker answers.
    const consumer = await startProductConsumers({ broker, deps, retryDelaysMs: config.CONSUMER_RETRY_DELAYS_MS, afterCommit: relay.wake });
    undo.unshift({ name: 'consumer', run: () => consumer.close() });

    logger.info('inventory service listening', { url: server.url });
    return { url: server.url, port: server.port, deps, drainOutbox: relay.drain, stop: stopAll };
  } catch (err) {
    // What could not be stopped is already logged; the start failure is the error to report.
    await stopAll().catch(() => undefined);
    throw err;
  }
}
