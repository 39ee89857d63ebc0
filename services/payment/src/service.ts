import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, startPeriodicJob, type Logger, type PeriodicJob } from '@shop/platform';
import { createSandboxProvider } from './adapters/sandbox-provider.js';
import type { PaymentDeps } from './app/deps.js';
import { runProviderJob } from './app/run-provider-job.use-case.js';
import type { PaymentConfig } from './config.js';
import type { PaymentDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startOrderConsumer } from './messaging/order.consumers.js';

const migrations = { scope: 'payment', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningPaymentService = RunningService<PaymentDeps>;

/**
 * The payment service: authorizes and voids for the order service's checkout, captures what
 * placed orders hold, sends shoppers to approve PayPal payments and fails those nobody approved
 * in time, voids or refunds what cancelled orders held, takes the provider's signed webhooks in,
 * and retries in the background what the provider has not confirmed. It talks to the provider
 * only through the provider port.
 */
export function startPaymentService(config: Readonly<PaymentConfig>, logger: Logger = createLogger('payment', config.LOG_LEVEL), signal?: AbortSignal): Promise<RunningPaymentService> {
  let providerJob: PeriodicJob | undefined;
  return startService<PaymentDatabase, PaymentDeps>({
    name: 'payment',
    config,
    migrations,
    logger,
    signal,
    build: ({ db, outbox, transaction }) => ({
      db,
      transaction,
      outbox,
      config,
      provider: createSandboxProvider({
        baseUrl: config.PAYMENT_PROVIDER_URL,
        apiKey: config.PAYMENT_PROVIDER_API_KEY,
        webhookSecret: config.PAYMENT_WEBHOOK_SECRET,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
        logger,
      }),
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      logger,
      now: () => new Date(),
      wakeProviderJob: () => providerJob?.wake(),
    }),
    routes: mountRoutes,
    background(deps, backbone) {
      providerJob = startPeriodicJob({
        name: 'captures, voids, refunds and expired approvals at the provider',
        intervalMs: config.PROVIDER_JOB_INTERVAL_MS,
        logger,
        runAtStart: true,
        run: async () => {
          const done = await runProviderJob(deps);
          if (done.captures + done.voids + done.refunds + done.expiries > 0) logger.debug('provider job round', done);
        },
      });
      return [{ stop: async () => deps.provider.close() }, startOrderConsumer(deps, backbone), providerJob];
    },
  });
}
