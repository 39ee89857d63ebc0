import { fileURLToPath } from 'node:url';
import { connectDatabase, createOutbox, createOutboxRelay, migrate, pingDatabase, platformMigrations, transactionRunner } from '@shop/db';
import { connectBroker } from '@shop/messaging';
import { createApp, createLogger, listen, type Logger } from '@shop/platform';
import { createSmtpMailer } from './app/mailer';
import type { NotificationConfig } from './config';
import type { NotificationDatabase } from './db/schema';
import { startNotificationConsumers } from './messaging/notification.consumers';

/** A started worker: where its probes answer, and how to stop it. */
export interface NotificationService {
  url: string;
  port: number;
  /** Closes HTTP, the consumer, the mailer, the outbox relay, the broker and the database, in that order. */
  stop(): Promise<void>;
}

const migrations = { scope: 'notification', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

/**
 * Starts the notification worker: its database (created and migrated if needed), the outbox relay,
 * the SMTP mailer, the consumer of `notification.emails`, and an HTTP server for health and metrics.
 */
export async function startNotificationService(
  config: Readonly<NotificationConfig>,
  logger: Logger = createLogger('notification', config.LOG_LEVEL),
): Promise<NotificationService> {
  // Each step's undo, newest first: stop() runs them all, a failed start the ones it got to.
  const undo: { name: string; run: () => Promise<void> | void }[] = [];
  const stopAll = async () => {
    const failed: string[] = [];
    for (const step of undo.splice(0)) {
      try {
        await step.run();
      } catch (err) {
        failed.push(step.name);
        logger.error('stopping failed', { step: step.name, error: String(err) });
      }
    }
    if (failed.length > 0) throw new Error(`could not stop: ${failed.join(', ')}`);
  };

  try {
    const db = await connectDatabase<NotificationDatabase>({ url: config.DATABASE_URL, logger });
    undo.unshift({ name: 'database', run: () => db.destroy() });
    await migrate(db, [platformMigrations, migrations], logger);

    const broker = connectBroker({ url: config.AMQP_URL, name: 'notification', logger });
    undo.unshift({ name: 'broker', run: () => broker.close() });

    const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
    relay.start();
    undo.unshift({ name: 'outbox relay', run: () => relay.stop() });

    const mailer = createSmtpMailer({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.MAIL_FROM,
    });
    undo.unshift({ name: 'mailer', run: () => mailer.close() });

    const consumer = await startNotificationConsumers({
      broker,
      db,
      logger,
      retryDelaysMs: config.CONSUMER_RETRY_DELAYS_MS,
      afterCommit: relay.wake,
      useCases: { mailer, outbox: createOutbox('notification'), shopName: config.SHOP_NAME, runInTransaction: transactionRunner(db, relay.wake) },
    });
    undo.unshift({ name: 'consumer', run: () => consumer.close() });

    const app = createApp({
      name: 'notification',
      logger,
      readiness: { database: () => pingDatabase(db), broker: broker.ping, smtp: mailer.verify },
      routes: () => {},
    });
    const server = await listen(app, config.PORT, config.HOST);
    undo.unshift({ name: 'http', run: () => server.close() });

    logger.info('notification worker started', { url: server.url });
    return { url: server.url, port: server.port, stop: stopAll };
  } catch (err) {
    // What could not be stopped is already logged; the start failure is the error to report.
    await stopAll().catch(() => undefined);
    throw err;
  }
}
