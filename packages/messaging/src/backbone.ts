import {
  connectDatabase,
  createOutbox,
  createOutboxRelay,
  migrate,
  pingDatabase,
  platformMigrations,
  transactionRunner,
  type Kysely,
  type MigrationSource,
  type Outbox,
  type OutboxRelay,
  type RunInTransaction,
} from '@shop/db';
import type { Logger, ReadinessCheck } from '@shop/platform';
import { connectBroker, type Broker } from './broker';

/**
 * What every service stands on: its own database (created and migrated), the broker, and the
 * outbox with its relay. The relay starts when the service is ready to serve (`relay.start()`).
 */
export interface Backbone<DB> {
  db: Kysely<DB>;
  broker: Broker;
  outbox: Outbox;
  relay: OutboxRelay;
  /** Runs work in one transaction and wakes the relay after the commit. */
  transaction: RunInTransaction<DB>;
  /** Probes for `/health/ready`. */
  readiness: Record<string, ReadinessCheck>;
  /** Stops the relay, then closes the broker and the database. */
  close(): Promise<void>;
}

/** The settings of a service's config the backbone reads. */
export interface BackboneConfig {
  DATABASE_URL: string;
  AMQP_URL: string;
  OUTBOX_POLL_INTERVAL_MS: number;
  DATABASE_POOL_SIZE?: number;
}

export interface BackboneOptions {
  /** The service's name: source of its events, name of its broker connection. */
  service: string;
  config: Readonly<BackboneConfig>;
  /** The service's own SQL migrations, applied after the outbox and inbox tables. */
  migrations: MigrationSource;
  logger: Logger;
}

/** A started service as its tests and launcher see it. */
export interface RunningService<Deps> {
  url: string;
  port: number;
  deps: Deps;
  /** Publishes pending outbox rows now (tests use it instead of waiting for a poll). */
  drainOutbox(): Promise<number>;
  /** Closes HTTP, the consumers, the outbox relay, the broker and the database, in that order. */
  stop(): Promise<void>;
}

export async function openBackbone<DB>(options: BackboneOptions): Promise<Backbone<DB>> {
  const { logger, config } = options;
  const db = await connectDatabase<DB>({ url: config.DATABASE_URL, logger, poolSize: config.DATABASE_POOL_SIZE });
  try {
    await migrate(db, [platformMigrations, options.migrations], logger);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const broker = connectBroker({ url: config.AMQP_URL, name: options.service, logger });
  const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
  return {
    db,
    broker,
    outbox: createOutbox(options.service),
    relay,
    transaction: transactionRunner(db, relay.wake),
    readiness: { database: () => pingDatabase(db), broker: broker.ping },
    async close() {
      await relay.stop();
      await broker.close();
      await db.destroy();
    },
  };
}
