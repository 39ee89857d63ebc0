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

export interface BackboneOptions {
  /** The service's name: source of its events, name of its broker connection. */
  service: string;
  databaseUrl: string;
  amqpUrl: string;
  /** The service's own SQL migrations, applied after the outbox and inbox tables. */
  migrations: MigrationSource;
  logger: Logger;
  outboxPollIntervalMs?: number;
  poolSize?: number;
}

export async function openBackbone<DB>(options: BackboneOptions): Promise<Backbone<DB>> {
  const { logger } = options;
  const db = await connectDatabase<DB>({ url: options.databaseUrl, logger, poolSize: options.poolSize });
  try {
    await migrate(db, [platformMigrations, options.migrations], logger);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const broker = connectBroker({ url: options.amqpUrl, name: options.service, logger });
  const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: options.outboxPollIntervalMs });
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
