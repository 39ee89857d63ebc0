import { fileURLToPath } from 'node:url';
import type { Kysely } from '@shop/db';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, openSealedSecret, sealSecret, startPeriodicJob, type Logger, type PeriodicJob, type TokenVerifier } from '@shop/platform';
import { dispatchDueMails } from './app/dispatch-mails.use-case.js';
import { createSmtpGate, type SmtpGate } from './app/smtp-gate.js';
import { createSmtpMailer, type SmtpMailer } from './adapters/mailer.js';
import type { NotificationConfig } from './config.js';
import type { NotificationDatabase } from './db/schema.js';
import { createMailRenderer, type MailRenderer } from './domain/mail-templates.js';
import { mountRoutes } from './http/routes.js';
import { startNotificationConsumer } from './messaging/notification.consumers.js';

const migrations = { scope: 'notification', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

/** What the worker is built from. */
export interface NotificationDeps {
  db: Kysely<NotificationDatabase>;
  mailer: SmtpMailer;
  renderer: MailRenderer;
  gate: SmtpGate;
  verifyToken: TokenVerifier;
  /** Sends due mails now instead of at the next poll. */
  wakeDispatcher: () => void;
}

export type NotificationService = RunningService<NotificationDeps>;

/**
 * The notification worker: the consumer of `notification.emails` turns events into queued mails
 * in the database, and the dispatcher writes and sends what is due over SMTP, retrying transient
 * failures and pausing while the server is unreachable. HTTP serves staff's review of mails.
 */
export function startNotificationService(
  config: Readonly<NotificationConfig>,
  logger: Logger = createLogger('notification', config.LOG_LEVEL),
  signal?: AbortSignal,
): Promise<NotificationService> {
  let dispatcher: PeriodicJob | undefined;
  const wakeDispatcher = () => dispatcher?.wake();
  return startService<NotificationDatabase, NotificationDeps>({
    name: 'notification',
    config,
    migrations,
    logger,
    signal,
    build: ({ db }) => {
      const mailer = createSmtpMailer({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        user: config.SMTP_USER,
        password: config.SMTP_PASSWORD,
        from: config.MAIL_FROM,
      });
      return {
        db,
        mailer,
        renderer: createMailRenderer({
          shopName: config.SHOP_NAME,
          publicBaseUrl: config.PUBLIC_BASE_URL,
          openSecret: (sealed) => openSealedSecret(config.MAIL_SEAL_KEY, sealed),
        }),
        gate: createSmtpGate({ probe: () => mailer.verify(), probeIntervalMs: config.SMTP_PROBE_INTERVAL_MS, onOpen: wakeDispatcher, logger }),
        verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
        wakeDispatcher,
      };
    },
    readiness: (deps) => ({ smtp: deps.mailer.verify }),
    routes: mountRoutes,
    background(deps, backbone) {
      const stopping = new AbortController();
      dispatcher = startPeriodicJob({
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
            renderer: deps.renderer,
            logger,
            retryDelaysMs: config.MAIL_RETRY_DELAYS_MS,
            gate: deps.gate,
            leaseMs: config.MAIL_CLAIM_LEASE_MS,
            concurrency: config.MAIL_SEND_CONCURRENCY,
            stopping: stopping.signal,
            now: () => new Date(),
          }),
      });
      const consumer = startNotificationConsumer(
        {
          logger,
          renderer: deps.renderer,
          alertEmail: config.ALERT_EMAIL,
          seal: (plaintext) => sealSecret(config.MAIL_SEAL_KEY, plaintext),
          mailQueued: (committed) => {
            backbone.relay.wake(committed);
            wakeDispatcher();
          },
        },
        backbone,
      );
      // Stopped in reverse: the consumer first, then the dispatcher finishes the mail in hand.
      const running = dispatcher;
      const dispatching = {
        async stop() {
          stopping.abort();
          deps.gate.stop();
          await running.stop();
          deps.mailer.close();
        },
      };
      return [dispatching, consumer];
    },
  });
}
