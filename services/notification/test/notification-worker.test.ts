import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import amqplib from 'amqplib';
import {
  customerEmailChanged,
  customerRegistered,
  customerVerificationRequested,
  routingKeyOf,
  type CustomerEmailChangedV1,
  type CustomerRegisteredV1,
  type EventContract,
  type EventEnvelope,
} from '@shop/contracts';
import { buildEnvelope, connectDatabase, sql, type Kysely } from '@shop/db';
import { connectBroker, parkedQueueOf, retryQueueOf, type Broker } from '@shop/messaging';
import { eventually, httpClient, startMailSink, testAmqpUrl, testDatabaseUrl, testLogger, type MailSink } from '@shop/testkit';
import { loadNotificationConfig } from '../src/config';
import type { NotificationDatabase } from '../src/db/schema';
import { EMAILS_QUEUE } from '../src/messaging/notification.consumers';
import { startNotificationService, type NotificationService } from '../src/service';

const logger = testLogger('notification-test');
const RETRY_DELAYS = '50,50,50';

const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;
const token = () => `tok-${randomUUID()}`;

function registered(email: string): CustomerRegisteredV1 {
  const verificationToken = token();
  return {
    customerId: randomUUID(),
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    verificationUrl: `https://shop.example/verify-email?token=${verificationToken}`,
    verificationToken,
    verificationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    registeredAt: new Date().toISOString(),
  };
}

describe('notification worker', function () {
  this.timeout(30_000);
  let amqpUrl: string;
  let publisher: Broker;

  before(async () => {
    amqpUrl = await testAmqpUrl();
    publisher = connectBroker({ url: amqpUrl, name: 'notification-test-publisher', logger });
    await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
  });

  after(async () => {
    await publisher.close();
    // The queues keep the retry delays they were declared with; remove them so no later test in
    // this run's vhost inherits them.
    await withChannel(async (channel) => {
      for (const queue of [EMAILS_QUEUE, ...[1, 2, 3].map((n) => retryQueueOf(EMAILS_QUEUE, n)), parkedQueueOf(EMAILS_QUEUE)]) {
        await channel.deleteQueue(queue);
      }
    });
  });

  async function publish<D>(contract: EventContract<D>, data: D): Promise<EventEnvelope<D>> {
    const envelope = buildEnvelope('customer', contract, data);
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    return envelope;
  }

  async function withChannel<T>(work: (channel: amqplib.Channel) => Promise<T>): Promise<T> {
    const connection = await amqplib.connect(amqpUrl);
    try {
      return await work(await connection.createChannel());
    } finally {
      await connection.close();
    }
  }

  async function startWorker(env: Record<string, string>): Promise<{ service: NotificationService; db: Kysely<NotificationDatabase> }> {
    const databaseUrl = testDatabaseUrl('notification');
    const config = loadNotificationConfig({
      PORT: '0',
      DATABASE_URL: databaseUrl,
      AMQP_URL: amqpUrl,
      CONSUMER_RETRY_DELAYS_MS: RETRY_DELAYS,
      OUTBOX_POLL_INTERVAL_MS: '50',
      ...env,
    });
    const service = await startNotificationService(config, logger);
    const db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
    return { service, db };
  }

  function notificationsFor(db: Kysely<NotificationDatabase>, eventId: string) {
    return db.selectFrom('notifications').selectAll().where('event_id', '=', eventId).execute();
  }

  /** The published outbox event of `type` that the given event caused. */
  async function publishedOutboxEvent(db: Kysely<NotificationDatabase>, type: string, causeId: string) {
    const { rows } = await sql<{ envelope: EventEnvelope<{ eventId: string; attempts: number; to: string }> }>`
      SELECT envelope FROM outbox
      WHERE envelope->>'type' = ${type} AND envelope->'data'->>'eventId' = ${causeId} AND sent_at IS NOT NULL`.execute(db);
    return rows[0]?.envelope;
  }

  describe('with a working SMTP server', () => {
    let sink: MailSink;
    let service: NotificationService;
    let db: Kysely<NotificationDatabase>;

    before(async () => {
      sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
      ({ service, db } = await startWorker({ SMTP_PORT: String(sink.smtpPort), SHOP_NAME: 'Test Shop' }));
    });

    after(async () => {
      await service?.stop();
      await db?.destroy();
      await sink?.close();
    });

    const mailsTo = (address: string) => sink.messages().filter((mail) => mail.to.some((to) => to.address === address));

    it('when a customer registers, then one verification mail with the link and token reaches them and is recorded as sent', async () => {
      const email = uniqueEmail('registered');
      const data = registered(email);

      const event = await publish(customerRegistered, data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email));
      expect(mail.subject).to.include('Test Shop');
      expect(mail.from.address).to.equal('no-reply@shop.local');
      expect(mail.text).to.include(data.verificationUrl);
      expect(mail.text).to.include(data.verificationToken);
      expect(mail.html).to.include(data.verificationToken);
      const [row] = await eventually(async () => {
        const rows = await notificationsFor(db, event.id);
        return rows.length > 0 && rows;
      }, 5_000, 'notifications row');
      expect(row).to.include({ status: 'sent', recipient: email, event_type: 'customer.registered', template: 'verification-email', attempts: 1 });
      expect(row?.sent_at).to.be.instanceOf(Date);
      expect(row?.message_id).to.be.a('string').with.length.greaterThan(0);
      const sent = await eventually(() => publishedOutboxEvent(db, 'notification.sent', event.id), 5_000, 'notification.sent published');
      expect(sent.data).to.include({ to: email, attempts: 1 });
      expect(sent.causationId).to.equal(event.id);
    });

    it('when the same customer.registered event is delivered twice, then only one mail is sent', async () => {
      const email = uniqueEmail('twice');
      const envelope = buildEnvelope('customer', customerRegistered, registered(email));
      const message = { routingKey: routingKeyOf(envelope), envelope };

      await publisher.publish([message]);
      await sink.waitForMail((m) => m.to.some((to) => to.address === email));
      await publisher.publish([message]);
      await eventually(async () => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE event_id = ${envelope.id}`.execute(db);
        return rows[0]?.n === 1;
      }, 5_000, 'inbox row');
      // Give the second delivery time to arrive and be dropped.
      await new Promise((resolve) => setTimeout(resolve, 750));

      expect(mailsTo(email)).to.have.length(1);
      expect(await notificationsFor(db, envelope.id)).to.have.length(1);
    });

    it('when a customer changes their e-mail address, then the verification mail goes to the new address only', async () => {
      const oldEmail = uniqueEmail('old');
      const newEmail = uniqueEmail('new');
      const verificationToken = token();
      const data: CustomerEmailChangedV1 = {
        customerId: randomUUID(),
        oldEmail,
        newEmail,
        firstName: 'Grace',
        verificationUrl: `https://shop.example/verify-email?token=${verificationToken}`,
        verificationToken,
        verificationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        changedAt: new Date().toISOString(),
      };

      const event = await publish(customerEmailChanged, data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === newEmail));
      expect(mail.subject).to.match(/new e-mail address/i);
      expect(mail.text).to.include(data.verificationUrl);
      expect(mail.text).to.include(verificationToken);
      expect(mail.text).to.include('Hi Grace,');
      await eventually(async () => (await notificationsFor(db, event.id))[0]?.status === 'sent', 5_000, 'sent row');
      expect(mailsTo(oldEmail)).to.have.length(0);
    });

    it('when a customer asks for a new verification link, then it is mailed to them', async () => {
      const email = uniqueEmail('resend');
      const verificationToken = token();
      const verificationUrl = `https://shop.example/verify-email?token=${verificationToken}`;

      await publish(customerVerificationRequested, {
        customerId: randomUUID(),
        email,
        firstName: 'Alan',
        verificationUrl,
        verificationToken,
        verificationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        requestedAt: new Date().toISOString(),
      });

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email));
      expect(mail.subject).to.match(/new Test Shop verification link/);
      expect(mail.text).to.include(verificationUrl);
      expect(mail.text).to.include(verificationToken);
    });

    it('when asked for readiness, then 200 with database, broker and SMTP ok', async () => {
      const response = await httpClient(service.url).get('/health/ready');

      expect(response.status).to.equal(200);
      expect(response.body.checks).to.deep.equal({ database: 'ok', broker: 'ok', smtp: 'ok' });
    });
  });

  describe('with the SMTP server down', () => {
    let service: NotificationService;
    let db: Kysely<NotificationDatabase>;

    before(async () => {
      ({ service, db } = await startWorker({ SMTP_PORT: String(await closedPort()) }));
    });

    after(async () => {
      await service?.stop();
      await db?.destroy();
    });

    it('when a mail cannot be sent, then it is tried 4 times, parked, recorded as failed and announced', async () => {
      const email = uniqueEmail('smtp-down');

      const event = await publish(customerRegistered, registered(email));

      const parked = await eventually(async () => {
        const messages = await parkedMessages();
        return messages.find((message) => message.properties.messageId === event.id);
      }, 10_000, 'parked message');
      expect(parked.properties.headers?.['x-retries']).to.equal(3);
      const rows = await notificationsFor(db, event.id);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ status: 'failed', attempts: 4, recipient: email });
      expect(rows[0]?.error).to.match(/ECONNREFUSED/);
      const failed = await eventually(() => publishedOutboxEvent(db, 'notification.failed', event.id), 5_000, 'notification.failed published');
      expect(failed.data).to.include({ to: email, attempts: 4 });
    });

    it('when asked for readiness, then 503 naming SMTP while database and broker are ok', async () => {
      const response = await httpClient(service.url).get('/health/ready');

      expect(response.status).to.equal(503);
      expect(response.body.checks).to.deep.equal({ database: 'ok', broker: 'ok', smtp: 'unavailable' });
    });

    /** Every message in the parking lot, left there (unacknowledged reads go back on close). */
    function parkedMessages(): Promise<amqplib.GetMessage[]> {
      return withChannel(async (channel) => {
        const { messageCount } = await channel.checkQueue(parkedQueueOf(EMAILS_QUEUE));
        const messages: amqplib.GetMessage[] = [];
        for (let i = 0; i < messageCount; i += 1) {
          const message = await channel.get(parkedQueueOf(EMAILS_QUEUE));
          if (message) messages.push(message);
        }
        return messages;
      });
    }
  });
});

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
