import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, startPeriodicJob, type Logger } from '@shop/platform';
import { loadAccessTokens } from './adapters/access-tokens.js';
import type { CustomerDeps } from './app/deps.js';
import { ensureAdmin } from './app/ensure-admin.use-case.js';
import { createPasswords } from './adapters/passwords.js';
import type { CustomerConfig } from './config.js';
import type { CustomerDatabase } from './db/schema.js';
import { pruneLimits } from './db/throttle.repository.js';
import { mountRoutes } from './http/routes.js';
import { startOrderConsumer } from './messaging/order.consumers.js';

const migrations = { scope: 'customer', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningCustomerService = RunningService<CustomerDeps>;

/**
 * The customer service: the signing keys and the bootstrap admin once its database is ready, then
 * the HTTP routes, and the consumer of order events that keeps each customer's open orders (for
 * erasure). RabbitMQ being down does not stop it: events wait in the outbox.
 */
export function startCustomerService(
  config: Readonly<CustomerConfig>,
  logger: Logger = createLogger('customer', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<RunningCustomerService> {
  return startService<CustomerDatabase, CustomerDeps>({
    name: 'customer',
    config,
    migrations,
    logger,
    signal,
    async build({ db, outbox, transaction }) {
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
      return deps;
    },
    background: (deps, backbone) => [
      startPeriodicJob({ name: 'prune login and mail limits', intervalMs: 600_000, logger, run: () => pruneLimits(deps.db, config.LOGIN_FAILURE_WINDOW_SECONDS) }),
      startOrderConsumer(deps, backbone),
    ],
    routes: mountRoutes,
  });
}
