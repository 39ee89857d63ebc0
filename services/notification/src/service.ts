import { fileURLToPath } from 'node:url';
import { openBackbone } from '@shop/messaging';
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
 * Starts the notification worker: its backbone (database, broker, outbox relay), the SMTP mailer,
 * the consumer of `notification.emails`, and an HTTP server for health and metrics.
 */
export async function startNotificationService(
  config: Readonly<NotificationConfig>,
  logger: Logger = createLogger('notification', config.LOG_LEVEL),
): Promise<NotificationService> {
  const backbone = await openBackbone<NotificationDatabase>({ service: 'notification', config, migrations, logger });
  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
    from: config.MAIL_FROM,
  });
  try {
    const { db, broker, outbox, transaction, relay } = backbone;
    relay.start();
    const consumer = await startNotificationConsumers({
      broker,
      db,
      logger,
      retryDelaysMs: config.CONSUMER_RETRY_DELAYS_MS,
      afterCommit: relay.wake,
      useCases: { mailer, outbox, shopName: config.SHOP_NAME, runInTransaction: transaction },
    });

    const app = createApp({
      name: 'notification',
      logger,
      readiness: { ...backbone.readiness, smtp: mailer.verify },
      routes: () => {},
    });
    const server = await listen(app, config.PORT, config.HOST);
    logger.info('notification worker started', { url: server.url });
    return {
      url: server.url,
      port: server.port,
      async stop() {
        await server.close();
        await consumer.close();
        mailer.close();
        await backbone.close();
      },
    };
  } catch (err) {
    mailer.close();
    await backbone.close();
    throw err;
  }
}
