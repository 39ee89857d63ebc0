import { fileURLToPath } from 'node:url';
import type { RunInTransaction } from '@shop/db';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, type Logger } from '@shop/platform';
import type { CatalogDeps } from './app/deps.js';
import type { CatalogConfig } from './config.js';
import { listenForChanges } from './db/change-notifications.js';
import type { CatalogDatabase } from './db/schema.js';
import { createAnswerCache, type AnswerCache } from './http/answer-cache.js';
import { mountRoutes } from './http/routes.js';
import { startStockLevelConsumer } from './messaging/stock-levels.consumer.js';

const migrations = { scope: 'catalog', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningCatalogService = RunningService<CatalogDeps>;

/**
 * The catalog service: its HTTP routes, the consumer that keeps the stock status read model, and
 * the listener that tells its answer cache of every change committed to the catalog's database.
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
    build: ({ db, outbox, transaction }) => {
      const answers = createAnswerCache({
        maxEntries: config.CACHE_MAX_ENTRIES,
        maxBytes: config.CACHE_MAX_MB * 1024 * 1024,
        maxStalenessMs: config.CACHE_MAX_STALENESS_MS,
      });
      return {
        db,
        transaction: droppingAnswersAfter(transaction, answers),
        outbox,
        config,
        verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
        logger,
        now: () => new Date(),
        answers,
      };
    },
    routes: mountRoutes,
    background: (deps, backbone) => [
      startStockLevelConsumer(deps, backbone),
      listenForChanges({
        url: config.DATABASE_URL,
        logger,
        // Four heartbeats per staleness window: one late or lost heartbeat does not yet cost the kept answers.
        heartbeatMs: Math.floor(config.CACHE_MAX_STALENESS_MS / 4),
        now: deps.answers.now,
        onChange: deps.answers.invalidate,
        onConfirmed: deps.answers.confirmed,
      }),
    ],
  });
}

/**
 * A writer's own next read must see its change at once, not once the notification has come back:
 * this replica drops its answers as soon as the transaction has ended (committed or not).
 */
function droppingAnswersAfter(run: RunInTransaction<CatalogDatabase>, answers: AnswerCache): RunInTransaction<CatalogDatabase> {
  return (work) => run(work).finally(answers.invalidate);
}
