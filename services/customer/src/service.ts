import { fileURLToPath } from 'node:url';
import { openBackbone, type RunningService } from '@shop/messaging';
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

export type RunningCustomerService = RunningService<CustomerDeps>;

/**
 * Wires the customer service: its backbone (database, broker, outbox relay), the signing keys,
 * the bootstrap admin and the HTTP routes. RabbitMQ being down does not stop it: events wait in
 * the outbox.
 */
export async function startCustomerService(config: Readonly<CustomerConfig>, logger: Logger = createLogger('customer', config.LOG_LEVEL)): Promise<RunningCustomerService> {
  const backbone = await openBackbone<CustomerDatabase>({ service: 'customer', config, migrations, logger });
  try {
    const { db, outbox, transaction, relay } = backbone;
    const deps: CustomerDeps = {
      db,
      transaction,
      outbox,
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
      readiness: backbone.readiness,
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
        await backbone.close();
      },
    };
  } catch (err) {
    await backbone.close();
    throw err;
  }
}
