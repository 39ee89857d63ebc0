import type { Router } from 'express';
import {
  createDatabase,
  createOutbox,
  createOutboxRelay,
  migrate,
  oldestUnsentAgeSeconds,
  pingDatabase,
  platformMigrations,
  transactionRunner,
  waitForDatabase,
  type Kysely,
  type MigrationSource,
  type Outbox,
  type OutboxRelay,
  type RunInTransaction,
} from '@shop/db';
import {
  backoffDelay,
  createRouter,
  isTransientError,
  settledWithin,
  sleep,
  startHttp,
  type CommonConfig,
  type ConsumerConfig,
  type BackboneConfig,
  type Logger,
  type ReadinessCheck,
  type Stoppable,
} from '@shop/platform';
import { connectBroker, type Broker } from './broker.js';
import type { RetryPolicy } from './consumer.js';
import { createMessagingMetrics, createOutboxMetrics } from './metrics.js';

/**
 * What every service stands on: its own database (created and migrated), the broker, and the
 * outbox with its relay.
 */
export interface Backbone<DB> {
  db: Kysely<DB>;
  broker: Broker;
  outbox: Outbox;
  relay: OutboxRelay;
  /** Runs work in one transaction and wakes the relay after the commit. */
  transaction: RunInTransaction<DB>;
  /** The retry policy of this service's consumers, from its config. */
  retry: RetryPolicy;
  handlerTimeoutMs: number;
}

/** The settings of a service's config the service host reads. */
export type ServiceHostConfig = CommonConfig & BackboneConfig & Partial<ConsumerConfig>;

/** A service as the host starts it: its name, config, migrations, and how to build and wire it. */
export interface ServiceSpec<DB, Deps> {
  /** Source of its events, name of its broker connection and metrics. */
  name: string;
  config: Readonly<ServiceHostConfig>;
  /** The service's own SQL migrations, applied after the outbox and inbox tables. */
  migrations: MigrationSource;
  logger: Logger;
  /** Aborts a start still waiting for PostgreSQL (a SIGTERM during start-up). */
  signal?: AbortSignal;
  /** The use cases' dependencies, once the database is reachable and migrated (may read it). */
  build(backbone: Backbone<DB>): Promise<Deps> | Deps;
  /** Mounts the HTTP routes. */
  routes?(router: Router, deps: Deps): void;
  /** Consumers and background jobs, started once HTTP serves and the relay runs; stopped first. */
  background?(deps: Deps, backbone: Backbone<DB>): Stoppable[];
  /** Readiness checks beyond the database and the broker (the SMTP server, say). */
  readiness?: (deps: Deps) => Record<string, ReadinessCheck>;
}

/** A started service as its tests, the launcher and `main.ts` see it. */
export interface RunningService<Deps> {
  url: string;
  port: number;
  /** Where `/health/ready` and `/metrics` answer. */
  opsUrl: string;
  deps: Deps;
  /** Publishes pending outbox rows now (tests use it instead of waiting for a poll). */
  drainOutbox(): Promise<number>;
  /**
   * Drains: readiness 503 at once, in-flight requests finish and keep-alive connections close,
   * consumers and jobs stop (the message in hand finishes), the relay stops, the broker and the
   * pool close.
   */
  stop(): Promise<void>;
}

/** The share of the shutdown grace period HTTP requests get to finish; the rest is for consumers and closing. */
const HTTP_DRAIN_SHARE = 0.5;

/**
 * Starts a service in the one order every service shares: HTTP listens first (routes answer 503
 * and readiness says so while the process waits for PostgreSQL, retrying with backoff), then the
 * database is migrated, the service built and its routes opened, then the relay, then consumers
 * and jobs. `stop()` undoes it in reverse.
 */
export async function startService<DB, Deps>(spec: ServiceSpec<DB, Deps>): Promise<RunningService<Deps>> {
  const { config, logger } = spec;
  const router = createRouter();
  // Filled as the parts exist; the operations app reads it on every probe.
  const readiness: Record<string, ReadinessCheck> = {};
  const http = await startHttp({
    name: spec.name,
    logger,
    host: config.HOST,
    port: config.PORT,
    opsPort: config.OPS_PORT,
    routes: (r) => r.use(router),
    readiness,
  });
  const db = createDatabase<DB>({ url: config.DATABASE_URL, logger, poolSize: config.DATABASE_POOL_SIZE, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  const broker = connectBroker({ url: config.AMQP_URL, name: spec.name, logger, metrics: createMessagingMetrics(http.metrics.registry) });
  readiness.database = () => pingDatabase(db);
  readiness.broker = broker.ping;
  const outboxMetrics = createOutboxMetrics(http.metrics.registry, () => oldestUnsentAgeSeconds(db));
  const relay = createOutboxRelay({
    db,
    publish: broker.publish,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    onPublished: (count) => outboxMetrics.published.inc(count),
  });
  const background: Stoppable[] = [];

  async function closeAll(): Promise<void> {
    await http.drain(Math.max(100, config.SHUTDOWN_TIMEOUT_MS * HTTP_DRAIN_SHARE));
    for (const worker of background.reverse()) await worker.stop();
    await relay.stop();
    await broker.close();
    await db.destroy();
    await http.closeOps();
  }

  try {
    await prepareDatabase(db, config.DATABASE_URL, [platformMigrations, spec.migrations], logger, spec.signal);
    const backbone: Backbone<DB> = {
      db,
      broker,
      outbox: createOutbox(spec.name),
      relay,
      transaction: transactionRunner(db, relay.wake),
      retry: { delaysMs: config.CONSUMER_RETRY_DELAYS_MS ?? [1_000, 5_000, 25_000, 60_000], windowMs: config.CONSUMER_RETRY_WINDOW_MS ?? 600_000 },
      handlerTimeoutMs: config.CONSUMER_HANDLER_TIMEOUT_MS ?? 30_000,
    };
    const deps = await spec.build(backbone);
    Object.assign(readiness, spec.readiness?.(deps));
    spec.routes?.(router, deps);
    http.open();
    relay.start();
    background.push(...(spec.background?.(deps, backbone) ?? []));
    logger.info(`${spec.name} service started`, { url: http.url, opsUrl: http.opsUrl });

    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      port: http.port,
      opsUrl: http.opsUrl,
      deps,
      drainOutbox: relay.drain,
      stop: () => (stopping ??= closeAll()),
    };
  } catch (err) {
    await settledWithin(closeAll().catch(() => undefined), 5_000);
    throw err;
  }
}

/**
 * Waits for PostgreSQL, then migrates. A transient failure while migrating (PostgreSQL restarting
 * or out of connections, a connection dropped) waits and starts over, as an unreachable database
 * does, instead of ending the start: migrations are idempotent, and a process that exits on a
 * blink would leave its routes down until someone starts it again.
 */
async function prepareDatabase<DB>(db: Kysely<DB>, url: string, sources: MigrationSource[], logger: Logger, signal?: AbortSignal): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await waitForDatabase(url, logger, signal);
    try {
      await migrate(db, sources, logger);
      return;
    } catch (err) {
      if (!isTransientError(err) || signal?.aborted) throw err;
      const delay = backoffDelay(attempt, 250, 10_000);
      logger.warn('database failed during start-up, trying again', { error: err instanceof Error ? err.message : String(err), retryInMs: delay });
      await sleep(delay);
    }
  }
}
