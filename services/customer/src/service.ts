import { fileURLToPath } from 'node:url';
import { connectDatabase, createOutbox, createOutboxRelay, migrate, pingDatabase, platformMigrations, transactionRunner } from '@shop/db';
import { connectBroker } from '@shop/messaging';
import { createApp, createLogger, listen, type Logger } from '@shop/platform';
import { loadAccessTokens } from './app/access-tokens';
import type { CustomerDeps } from './app/deps';
import { ensureAdmin } from './app/ensure-admin.use-case';
import { createPasswords } from './app/passwords';
import type { CustomerConfig } from './config';
import type { CustomerDatabase } from './db/schema';
import { adminRoutes } from './http/admin.routes';
import { authRoutes } from './http/auth.routes';
import { customerRoutes } from './http/customer.routes';
import { internalRoutes } from './http/internal.routes';

const migrations = { scope: 'customer', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export interface RunningCustomerService {
  url: string;
  port: number;
  deps: CustomerDeps;
  /** Publishes pending outbox rows now (tests use it instead of waiting for a poll). */
  drainOutbox(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Wires the customer service: its database (created and migrated), the broker, the outbox relay,
 * the signing keys, the bootstrap admin and the HTTP routes. RabbitMQ being down does not stop it:
 * events wait in the outbox.
 */
export async function startCustomerService(config: Readonly<CustomerConfig>, logger: Logger = createLogger('customer', config.LOG_LEVEL)): Promise<RunningCustomerService> {
  const db = await connectDatabase<CustomerDatabase>({ url: config.DATABASE_URL, logger });
  await migrate(db, [platformMigrations, migrations], logger);
  const broker = connectBroker({ url: config.AMQP_URL, name: 'customer', logger });
  const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
  const deps: CustomerDeps = {
    db,
    transaction: transactionRunner(db, relay.wake),
    outbox: createOutbox('customer'),
    config,
    tokens: await loadAccessTokens(db, config.JWT_PRIVATE_KEY, config.ACCESS_TOKEN_TTL_SECONDS),
    passwords: await createPasswords(),
    logger,
    now: () => new Date(),
  };
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) await ensureAdmin(deps, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });

  const app = createApp({
    name: 'customer',
    logger,
    readiness: { database: () => pingDatabase(db), broker: broker.ping },
    routes: (router) => {
      customerRoutes(router, deps);
      authRoutes(router, deps);
      adminRoutes(router, deps);
      internalRoutes(router, deps);
    },
  });
  const server = await listen(app, config.PORT, config.HOST);
  relay.start();
  logger.info('customer service listening', { url: server.url });

  return {
    url: server.url,
    port: server.port,
    deps,
    drainOutbox: relay.drain,
    async stop() {
      await server.close();
      await relay.stop();
      await broker.close();
      await db.destroy();
    },
  };
}
