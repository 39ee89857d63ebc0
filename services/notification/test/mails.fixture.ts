import { randomUUID } from 'node:crypto';
import { routingKeyOf, type AggregateRef, type EventContract, type EventEnvelope } from '@shop/contracts';
import { buildEnvelope, connectDatabase, sql, type Kysely, type Selectable } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import {
  eventually,
  httpClient,
  startMailSink,
  startTokenIssuer,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type CapturedMail,
  type EventTap,
  type HttpClient,
  type MailSink,
  type TokenIssuer,
} from '@shop/testkit';
import { loadNotificationConfig } from '../src/config';
import type { NotificationDatabase, NotificationStatus } from '../src/db/schema';
import { startNotificationService, type NotificationService } from '../src/service';

const logger = testLogger('notification-mails-test');

/** An SMTP reply refusing a recipient: 4xx try later, 5xx never. */
export interface SmtpRefusal {
  code: number;
  message: string;
}

export type NotificationRow = Selectable<NotificationDatabase['notifications']>;

/**
 * What the workers of a test file run against: the run's broker, a publisher standing in for the
 * producers' relays, a tap on `notification.#`, and a token issuer standing in for the customer service.
 */
export interface MailsBacking {
  amqpUrl: string;
  publisher: Broker;
  tap: EventTap;
  issuer: TokenIssuer;
  /** Publishes an event as its producer would (the source is the event type's first word). */
  publish<D>(contract: EventContract<D>, data: D, aggregate: AggregateRef): Promise<EventEnvelope<D>>;
  /** Publishes an envelope as it is, so the same event can be delivered again. */
  deliver(envelope: EventEnvelope<any>): Promise<void>;
  close(): Promise<void>;
}

export async function startMailsBacking(): Promise<MailsBacking> {
  const amqpUrl = await testAmqpUrl();
  const publisher = connectBroker({ url: amqpUrl, name: 'notification-mails-test-publisher', logger });
  await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
  const tap = await tapEvents(amqpUrl, ['notification.#']);
  const issuer = await startTokenIssuer();
  const deliver = (envelope: EventEnvelope<any>) => publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  return {
    amqpUrl,
    publisher,
    tap,
    issuer,
    async publish(contract, data, aggregate) {
      const envelope = buildEnvelope(contract.type.split('.')[0] ?? 'test', contract, data, aggregate);
      await deliver(envelope);
      return envelope;
    },
    deliver,
    async close() {
      await tap.close();
      await publisher.close();
      await issuer.close();
    },
  };
}

/**
 * Notification workers (one, or replicas on one database) against a mail sink of their own. The
 * queue is the run's one `notification.emails`: run one such worker at a time, and give each test
 * addresses of its own.
 */
export interface MailWorker {
  services: NotificationService[];
  /** The first replica's HTTP API (the admin review routes, not through the gateway). */
  api: HttpClient;
  db: Kysely<NotificationDatabase>;
  sink: MailSink;
  /** ALERT_EMAIL of the worker. */
  alertEmail: string;
  mailsTo(address: string): CapturedMail[];
  /** The mail to the address whose subject includes `subject` (a string) or matches it (a pattern). */
  mailTo(address: string, subject: string | RegExp, timeoutMs?: number): Promise<CapturedMail>;
  rows(eventId: string): Promise<NotificationRow[]>;
  /** Waits until the event's mail of `template` is in `status`. */
  rowIn(eventId: string, template: string, status: NotificationStatus, timeoutMs?: number): Promise<NotificationRow>;
  /** Waits until the worker has consumed the event (its inbox entry is written with whatever it queued). */
  consumed(eventId: string): Promise<void>;
  /** The sink refuses this address with the SMTP reply from now on (undefined: accepts it again). */
  refuse(address: string, refusal: SmtpRefusal | undefined): void;
  stop(): Promise<void>;
}

export async function startMailWorker(backing: MailsBacking, env: Record<string, string> = {}, replicas = 1): Promise<MailWorker> {
  const sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
  const refused = new Map<string, SmtpRefusal>();
  sink.refuseRecipients((address) => refused.get(address));
  const databaseUrl = testDatabaseUrl('notification_mails');
  const alertEmail = `alerts-${randomUUID().slice(0, 8)}@example.test`;
  const config = loadNotificationConfig({
    PORT: '0',
    OPS_PORT: '0',
    DATABASE_URL: databaseUrl,
    AMQP_URL: backing.amqpUrl,
    JWKS_URL: backing.issuer.jwksUrl,
    SMTP_PORT: String(sink.smtpPort),
    SHOP_NAME: 'Test Shop',
    ALERT_EMAIL: alertEmail,
    CONSUMER_RETRY_DELAYS_MS: '100,200',
    CONSUMER_RETRY_WINDOW_MS: '60000',
    OUTBOX_POLL_INTERVAL_MS: '50',
    MAIL_POLL_INTERVAL_MS: '100',
    ...env,
  });
  const services: NotificationService[] = [];
  // One after another: the first replica migrates the database, the others find it migrated.
  for (let i = 0; i < replicas; i += 1) services.push(await startNotificationService(config, logger));
  const db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
  const first = services[0] as NotificationService;
  const rows = (eventId: string) => db.selectFrom('notifications').selectAll().where('event_id', '=', eventId).orderBy('template').execute();
  const mailsTo = (address: string) => sink.messages().filter((mail) => mail.to.some((to) => to.address === address));

  return {
    services,
    api: httpClient(first.url),
    db,
    sink,
    alertEmail,
    mailsTo,
    mailTo: (address, subject, timeoutMs = 10_000) =>
      sink.waitForMail((m) => m.to.some((to) => to.address === address) && (typeof subject === 'string' ? m.subject.includes(subject) : subject.test(m.subject)), timeoutMs),
    rows,
    rowIn: (eventId, template, status, timeoutMs = 10_000) =>
      eventually(async () => (await rows(eventId)).find((row) => row.template === template && row.status === status), timeoutMs, `the ${template} mail ${status}`),
    async consumed(eventId) {
      await eventually(async () => {
        const { rows: found } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE event_id = ${eventId}`.execute(db);
        return found[0]?.n === 1;
      }, 10_000, `event ${eventId} consumed`);
    },
    refuse(address, refusal) {
      if (refusal) refused.set(address, refusal);
      else refused.delete(address);
    },
    async stop() {
      for (const service of services.reverse()) await service.stop();
      await db.destroy();
      await sink.close();
    },
  };
}

/** Lets a second delivery or a second send that should not happen have its chance to. */
export const settle = (ms = 500) => new Promise((resolve) => setTimeout(resolve, ms));
