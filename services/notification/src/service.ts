import { fileURLToPath } from 'node:url';
import type { Kysely } from '@shop/db';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, startPeriodicJob, type Logger } from '@shop/platform';
import { dispatchDueMails } from './app/dispatch-mails.use-case';
import { createSmtpMailer, type SmtpMailer } from './adapters/mailer';
import type { NotificationConfig } from './config';
import type { NotificationDatabase } from './db/schema';
import { startNotificationConsumer } from './messaging/notification.consumers';

const migrations = { scope: 'notification', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

/** What the worker is built from. */
export interface NotificationDeps {
  db: Kysely<NotificationDatabase>;
  mailer: SmtpMailer;
}

export type NotificationService = RunningService<NotificationDeps>;

/**
 * The notification worker: the consumer of `notification.emails` queues each mail in the
 * database, and the dispatcher sends what is due over SMTP, retrying transient failures. HTTP
 * serves the probes.
 */
export function startNotificationService(
  config: Readonly<NotificationConfig>,
  logger: Logger = createLogger('notification', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<NotificationService> {
  return startService<NotificationDatabase, NotificationDeps>({
    name: 'notification',
    config,
    migrations,
    logger,
    signal,
    build: ({ db }) => ({
      db,
      mailer: createSmtpMailer({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        user: config.SMTP_USER,
        password: config.SMTP_PASSWORD,
        from: config.MAIL_FROM,
      }),
    }),
    readiness: (deps) => ({ smtp: deps.mailer.verify }),
    background(deps, backbone) {
      const stopping = new AbortController();
      const dispatcher = startPeriodicJob({
        name: 'send due mails',
        intervalMs: config.MAIL_POLL_INTERVAL_MS,
        logger,
        runAtStart: true,
        run: () =>
          dispatchDueMails({
            db: backbone.db,
            transaction: backbone.transaction,
            outbox: backbone.outbox,
            mailer: deps.mailer,
            logger,
            retry: backbone.retry,
            leaseMs: config.MAIL_CLAIM_LEASE_MS,
            concurrency: config.MAIL_SEND_CONCURRENCY,
            stopping: stopping.signal,
            now: () => new Date(),
          }),
      });
      const consumer = startNotificationConsumer(
        {
          logger,
          shopName: config.SHOP_NAME,
          mailQueued: () => {
            backbone.relay.wake();
            dispatcher.wake();
          },
        },
        backbone,
      );
      // Stopped in reverse: the consumer first, then the dispatcher finishes the mail in hand.
      const dispatching = {
        async stop() {
          stopping.abort();
          await dispatcher.stop();
          deps.mailer.close();
        },
      };
      return [dispatching, consumer];
    },
  });
}
