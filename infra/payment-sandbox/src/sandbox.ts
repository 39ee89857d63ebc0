import { fileURLToPath } from 'node:url';
import express from 'express';
import { createDatabase, migrate, pingDatabase, waitForDatabase } from '@shop/db';
import { createLogger, settledWithin, startHttp, startPeriodicJob, type Logger, type ReadinessCheck, type Stoppable } from '@shop/platform';
import type { SandboxConfig } from './config.js';
import { pruneKeys } from './db/idempotency.repository.js';
import type { SandboxDatabase } from './db/schema.js';
import { paypalPageRoutes } from './http/paypal-page.routes.js';
import { providerApi } from './http/provider-api.js';
import { startWebhookDelivery } from './webhooks.js';

const migrations = { scope: 'payment-sandbox', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

/** The share of the shutdown grace period HTTP requests get to finish; the rest is for the jobs and closing. */
const HTTP_DRAIN_SHARE = 0.5;
const PRUNE_INTERVAL_MS = 3_600_000;

/** A started sandbox as its tests, the launcher and `main.ts` see it. */
export interface RunningSandbox {
  url: string;
  /** Where `/health/ready` and `/metrics` answer. */
  opsUrl: string;
  /** Drains HTTP, stops the delivery job (an attempt under way is cut and left for later), closes the pool. */
  stop(): Promise<void>;
}

/**
 * The sandbox payment provider: a stand-in for an external card processor, with its own database
 * and API (test cards, idempotent POSTs, PayPal-style approvals with the pages a shopper approves
 * them on) and signed webhooks delivered at least once. Starts like
 * the services do: HTTP listens first (routes 503 while PostgreSQL is waited for), then the
 * database is migrated, the routes opened and the jobs started; `stop()` undoes it in reverse.
 */
export async function startPaymentSandbox(
  config: Readonly<SandboxConfig>,
  logger: Logger = createLogger('payment-sandbox', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<RunningSandbox> {
  const router = express.Router();
  const readiness: Record<string, ReadinessCheck> = {};
  const http = await startHttp({
    name: 'payment-sandbox',
    logger,
    host: config.HOST,
    port: config.PORT,
    opsPort: config.OPS_PORT,
    routes: (r) => r.use(router),
    readiness,
    // The /v1 router parses JSON itself, so even a malformed body is answered in the provider's error shape.
    parseJson: false,
  });
  const db = createDatabase<SandboxDatabase>({ url: config.DATABASE_URL, logger, poolSize: config.DATABASE_POOL_SIZE, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  readiness.database = () => pingDatabase(db);
  const jobs: Stoppable[] = [];

  async function closeAll(): Promise<void> {
    await http.drain(Math.max(100, config.SHUTDOWN_TIMEOUT_MS * HTTP_DRAIN_SHARE));
    for (const job of jobs.reverse()) await job.stop();
    await db.destroy();
    await http.closeOps();
  }

  try {
    await waitForDatabase(config.DATABASE_URL, logger, signal);
    await migrate(db, [migrations], logger);
    const delivery = startWebhookDelivery({
      db,
      logger,
      url: config.WEBHOOK_URL,
      secret: config.WEBHOOK_SECRET,
      retryFirstMs: config.WEBHOOK_RETRY_FIRST_MS,
      retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    });
    jobs.push(delivery);
    jobs.push(
      startPeriodicJob({
        name: 'prune idempotency keys',
        intervalMs: PRUNE_INTERVAL_MS,
        logger,
        runAtStart: true,
        run: () => pruneKeys(db, config.IDEMPOTENCY_KEY_TTL_HOURS),
      }),
    );
    const deps = { db, logger, apiKey: config.PROVIDER_API_KEY, publicUrl: config.PUBLIC_URL, now: () => new Date(), afterCommit: delivery.wake };
    router.use('/v1', providerApi(deps));
    // What a shopper's browser opens: no API key, HTML answers.
    router.use('/paypal', paypalPageRoutes(deps));
    http.open();
    logger.info('payment sandbox started', { url: http.url, opsUrl: http.opsUrl, webhooks: config.WEBHOOK_URL ? 'on' : 'off' });

    let stopping: Promise<void> | undefined;
    return { url: http.url, opsUrl: http.opsUrl, stop: () => (stopping ??= closeAll()) };
  } catch (err) {
    await settledWithin(closeAll().catch(() => undefined), 5_000);
    throw err;
  }
}
