import { fileURLToPath } from 'node:url';
import { listenForChanges, type RunInTransaction } from '@shop/db';
import { startService, type RunningService } from '@shop/messaging';
import { answerCacheOptions, createAnswerCache, createLogger, createTokenVerifier, type AnswerCache, type Logger } from '@shop/platform';
import type { CatalogDeps } from './app/deps.js';
import type { CatalogConfig } from './config.js';
import type { CatalogDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startStockLevelConsumer } from './messaging/stock-levels.consumer.js';

const migrations = { scope: 'catalog', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

/**
 * The channel the catalog's triggers notify on when a change to what shoppers read commits
 * (migration 0003): categories, products, variants and the stock status read model. The stock read
 * model has no event of its own, and events leave through one replica's relay, later: a replica
 * hearing the inventory's event could drop its answers before another had committed the change.
 */
const CHANGES_CHANNEL = 'catalog_changed';

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
      const answers = createAnswerCache(answerCacheOptions(config));
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
        channel: CHANGES_CHANNEL,
        applicationName: 'catalog change listener',
        // Four heartbeats per staleness window: one late or lost heartbeat does not yet cost the kept answers.
        heartbeatMs: Math.floor(config.CACHE_MAX_STALENESS_MS / 4),
        now: deps.answers.now,
        // Every change may show on any page or listing: everything kept goes.
        onChange: () => deps.answers.invalidate(),
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
  return (work) => run(work).finally(() => answers.invalidate());
}
