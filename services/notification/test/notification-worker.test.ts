import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import {
  customerEmailChanged,
  customerRegistered,
  customerVerificationRequested,
  orderPlaced,
  routingKeyOf,
  subscriptions,
  type EventContract,
  type EventEnvelope,
  type OrderPlacedV1,
} from '@shop/contracts';
import { buildEnvelope, connectDatabase, sql, type Kysely } from '@shop/db';
import { connectBroker, countParked, type Broker } from '@shop/messaging';
import {
  eventually,
  httpClient,
  startMailSink,
  startPostgresProxy,
  startTcpProxy,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type EventTap,
  type MailSink,
  type TcpProxy,
} from '@shop/testkit';
import { loadNotificationConfig } from '../src/config';
import { emailChanged, placedOrder, registered, uniqueEmail, verificationRequested } from './events';
import type { NotificationDatabase } from '../src/db/schema';
import { startNotificationService, type NotificationService } from '../src/service';

const logger = testLogger('notification-test');
const EMAILS_QUEUE = subscriptions.notificationEmails.queue;

const orderPlacedEnvelope = (data: OrderPlacedV1) => buildEnvelope('order', orderPlaced, data, { type: 'order', id: data.orderId, version: 1 });

describe('notification worker', function () {
  this.timeout(30_000);
  let amqpUrl: string;
  let publisher: Broker;
  let tap: EventTap;

  before(async () => {
    amqpUrl = await testAmqpUrl();
    publisher = connectBroker({ url: amqpUrl, name: 'notification-test-publisher', logger });
    await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
    tap = await tapEvents(amqpUrl, ['notification.#']);
  });

  after(async () => {
    await tap.close();
    await publisher.close();
  });

  async function publish<D extends { customerId: string }>(contract: EventContract<D>, data: D): Promise<EventEnvelope<D>> {
    const envelope = buildEnvelope('customer', contract, data, { type: 'customer', id: data.customerId, version: 1 });
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    return envelope;
  }

  /** A worker with its own database; the queue is shared, so each test's mails go to addresses of its own. */
  async function startWorker(env: Record<string, string>, databaseUrl = testDatabaseUrl('notification')): Promise<{ service: NotificationService; db: Kysely<NotificationDatabase> }> {
    const config = loadNotificationConfig({
      PORT: '0',
      DATABASE_URL: databaseUrl,
      AMQP_URL: amqpUrl,
      CONSUMER_RETRY_DELAYS_MS: '100,200',
      CONSUMER_RETRY_WINDOW_MS: '60000',
      OUTBOX_POLL_INTERVAL_MS: '50',
      MAIL_POLL_INTERVAL_MS: '100',
      ...env,
    });
    const service = await startNotificationService(config, logger);
    const db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
    return { service, db };
  }

  function notificationsFor(db: Kysely<NotificationDatabase>, eventId: string) {
    return db.selectFrom('notifications').selectAll().where('event_id', '=', eventId).execute();
  }

  const mailsTo = (sink: MailSink, address: string) => sink.messages().filter((mail) => mail.to.some((to) => to.address === address));

  /** Once the line is back: one mail to each address reaches the sink (and no second a moment later), each recorded sent. */
  async function expectEachSentOnce(sink: MailSink, db: Kysely<NotificationDatabase>, emails: string[], events: Array<{ id: string }>) {
    await eventually(() => emails.every((email) => mailsTo(sink, email).length === 1), 15_000, 'every mail sent');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const email of emails) expect(mailsTo(sink, email), email).to.have.length(1);
    for (const event of events) expect((await notificationsFor(db, event.id))[0]?.status).to.equal('sent');
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

    it('when a customer registers, then one verification mail with the link and token reaches them, is recorded as sent without its body, and notification.sent is published', async () => {
      const email = uniqueEmail('registered');
      const data = registered(email);

      const event = await publish(customerRegistered, data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email));
      expect(mail.subject).to.include('Test Shop');
      expect(mail.from.address).to.equal('no-reply@shop.local');
      expect(mail.text).to.include(data.link);
      expect(mail.text).to.include(data.token);
      expect(mail.html).to.include(data.token);
      const [row] = await eventually(async () => {
        const rows = await notificationsFor(db, event.id);
        return rows[0]?.status === 'sent' && rows;
      }, 5_000, 'a sent notification row');
      expect(row).to.include({ status: 'sent', recipient: email, event_type: 'customer.registered', template: 'verification-email', attempts: 1 });
      expect(row?.sent_at).to.be.instanceOf(Date);
      expect(row?.message_id).to.be.a('string').with.length.greaterThan(0);
      expect(row?.facts, 'the sealed link is not kept once sent').to.equal(null);
      expect(row?.text_body).to.equal(null);
      expect(row?.html_body).to.equal(null);
      const sent = await tap.waitFor<{ eventId: string; to: string; attempts: number }>('notification.sent', (d) => d.eventId === event.id);
      expect(sent.data).to.include({ to: email, attempts: 1 });
      expect(sent.causationId).to.equal(event.id);
    });

    it('when many mails are due and the SMTP server answers slowly, then they are sent side by side, not one after another', async () => {
      const emails = Array.from({ length: 8 }, () => uniqueEmail('busy'));
      sink.delayAcceptance(1_000);
      try {
        const started = Date.now();
        await Promise.all(emails.map((email) => publish(customerRegistered, registered(email))));
        await Promise.all(emails.map((email) => sink.waitForMail((m) => m.to.some((to) => to.address === email), 15_000)));
        // One after another would take 8 s; side by side, about one answer's wait.
        expect(Date.now() - started).to.be.below(5_000);
      } finally {
        sink.delayAcceptance(0);
      }
    });

    it('when the same customer.registered event is delivered twice, then only one mail is sent', async () => {
      const email = uniqueEmail('twice');
      const envelope = buildEnvelope('customer', customerRegistered, registered(email), { type: 'customer', id: randomUUID(), version: 1 });
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

      expect(mailsTo(sink, email)).to.have.length(1);
      expect(await notificationsFor(db, envelope.id)).to.have.length(1);
    });

    it('when a customer changes their e-mail address, then the verification link goes to the new address and a notice without it to the old one', async () => {
      const oldEmail = uniqueEmail('old');
      const newEmail = uniqueEmail('new');
      const data = emailChanged(randomUUID(), oldEmail, newEmail);

      const event = await publish(customerEmailChanged, data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === newEmail));
      expect(mail.subject).to.match(/new e-mail address/i);
      expect(mail.text).to.include(data.link);
      expect(mail.text).to.include(data.token);
      expect(mail.text).to.include('Hi Grace,');
      const notice = await sink.waitForMail((m) => m.to.some((to) => to.address === oldEmail));
      expect(notice.subject).to.equal('The e-mail address of your Test Shop account was changed');
      expect(notice.text).to.include(newEmail);
      expect(notice.text, 'the link only goes to the new address').not.to.include(data.token);
      await eventually(async () => (await notificationsFor(db, event.id)).every((row) => row.status === 'sent'), 5_000, 'sent rows');
      expect((await notificationsFor(db, event.id)).map((row) => row.template).sort()).to.deep.equal(['email-changed-notice', 'verification-email']);
    });

    it('when a customer asks for a new verification link, then it is mailed to them', async () => {
      const email = uniqueEmail('resend');
      const data = verificationRequested(email);

      await publish(customerVerificationRequested, data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email));
      expect(mail.subject).to.match(/new Test Shop verification link/);
      expect(mail.text).to.include(data.link);
      expect(mail.text).to.include(data.token);
    });

    it('when the SMTP server refuses a recipient for good (550), then the mail is not retried: failed at once, notification.failed published, nothing parked', async () => {
      const email = uniqueEmail('refused');
      sink.refuseRecipients((address) => (address === email ? { code: 550, message: 'mailbox unavailable' } : undefined));
      try {
        const event = await publish(customerRegistered, registered(email));
        const [row] = await eventually(async () => {
          const rows = await notificationsFor(db, event.id);
          return rows[0]?.status === 'failed' && rows;
        }, 5_000, 'a failed row');
        expect(row).to.include({ attempts: 1, recipient: email });
        expect(row?.error).to.match(/mailbox unavailable/);
        const failed = await tap.waitFor<{ eventId: string; attempts: number }>('notification.failed', (d) => d.eventId === event.id);
        expect(failed.data.attempts).to.equal(1);
        expect(await countParked(publisher, EMAILS_QUEUE)).to.equal(0);
      } finally {
        sink.refuseRecipients(undefined);
      }
    });

    it('when an order is placed, then one confirmation naming the order number with its lines and totals reaches the customer, is recorded as sent with template order-confirmation, and notification.sent is published', async () => {
      const email = uniqueEmail('order');
      const data = placedOrder(email);
      await publish(customerRegistered, registered(email, data.customerId));
      const event = orderPlacedEnvelope(data);

      await publisher.publish([{ routingKey: routingKeyOf(event), envelope: event }]);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email) && m.subject.includes(data.orderNumber));
      expect(mail.subject).to.equal(`Your Test Shop order ${data.orderNumber}`);
      expect(mail.text, 'greeted by the name the worker knows').to.include('Hi Ada,');
      expect(mail.text).to.include('- Blue Mug\n  SKU: MUG-BLUE, quantity: 2, unit price: $12.50, line total: $25.00');
      for (const total of ['Subtotal:  $40.00', 'Shipping:  $4.95', 'Tax:       $3.25', 'Total:     $48.20']) expect(mail.text).to.include(total);
      for (const amount of ['$12.50', '$25.00', '$40.00', '$4.95', '$3.25', '<strong>$48.20</strong>']) expect(mail.html).to.include(amount);
      expect(mail.html).to.include('Springfield, IL 62704');
      const [row] = await eventually(async () => {
        const rows = await notificationsFor(db, event.id);
        return rows[0]?.status === 'sent' && rows;
      }, 5_000, 'a sent notification row');
      expect(row).to.include({ status: 'sent', recipient: email, event_type: 'order.placed', template: 'order-confirmation', customer_id: data.customerId, attempts: 1 });
      const sent = await tap.waitFor<{ eventId: string; to: string; template: string; attempts: number }>('notification.sent', (d) => d.eventId === event.id);
      expect(sent.data).to.include({ to: email, template: 'order-confirmation', attempts: 1 });
      expect(sent.causationId).to.equal(event.id);
    });

    it('when the same order.placed event is delivered twice, then only one confirmation is sent', async () => {
      const email = uniqueEmail('order-twice');
      const envelope = orderPlacedEnvelope(placedOrder(email));
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

      expect(mailsTo(sink, email)).to.have.length(1);
      expect(await notificationsFor(db, envelope.id)).to.have.length(1);
      expect(await countParked(publisher, EMAILS_QUEUE)).to.equal(0);
    });

    it('when asked for readiness on the operations port, then 200 with database, broker and SMTP ok', async () => {
      const response = await httpClient(service.opsUrl).get('/health/ready');

      expect(response.status).to.equal(200);
      expect(response.body.checks).to.deep.equal({ database: 'ok', broker: 'ok', smtp: 'ok' });
    });
  });

  describe('with the SMTP server unreachable for good', () => {
    let service: NotificationService;
    let db: Kysely<NotificationDatabase>;

    before(async () => {
      ({ service, db } = await startWorker({ SMTP_PORT: String(await closedPort()), MAIL_RETRY_DELAYS_MS: '100,200,300', SMTP_PROBE_INTERVAL_MS: '200' }));
    });

    after(async () => {
      await service?.stop();
      await db?.destroy();
    });

    it('when a mail cannot reach the server, then sending pauses: the mail waits, its retries are not spent on the outage, nothing is failed or parked', async () => {
      const email = uniqueEmail('smtp-down');

      const event = await publish(customerRegistered, registered(email));

      await eventually(async () => (await notificationsFor(db, event.id))[0]?.error?.includes('ECONNREFUSED'), 10_000, 'the first try failed');
      // The whole retry ladder (0.6 s) passes several times over, and the server is probed meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const [row] = await notificationsFor(db, event.id);
      expect(row).to.include({ status: 'pending', attempts: 1, recipient: email });
      expect(await countParked(publisher, EMAILS_QUEUE)).to.equal(0);
    });

    it('when asked for readiness, then 503 naming SMTP while database and broker are ok', async () => {
      const response = await httpClient(service.opsUrl).get('/health/ready');

      expect(response.status).to.equal(503);
      expect(response.body.checks).to.deep.equal({ database: 'ok', broker: 'ok', smtp: 'unavailable' });
    });
  });

  describe('when a dependency blinks', () => {
    let sink: MailSink;
    before(async () => {
      sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
    });
    after(() => sink.close());

    it('when the SMTP server is away for a few seconds while mails are queued, then every mail goes out exactly once when it is back, none failed', async function () {
      this.timeout(40_000);
      const line: TcpProxy = await startTcpProxy(sink.smtpPort);
      const { service, db } = await startWorker({ SMTP_PORT: String(line.port) });
      try {
        line.cut();
        const emails = Array.from({ length: 5 }, (_, i) => uniqueEmail(`outage-${i}`));
        const events = [];
        for (const email of emails) events.push(await publish(customerRegistered, registered(email)));
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        expect(emails.flatMap((email) => mailsTo(sink, email))).to.have.length(0);
        line.restore();

        await expectEachSentOnce(sink, db, emails, events);
      } finally {
        await service.stop();
        await db.destroy();
        await line.close();
      }
    });

    it('when every connection to the SMTP server is closed before it answers for longer than the whole retry ladder, then sending pauses and every mail goes out once when it is back, none failed', async function () {
      this.timeout(40_000);
      const line: TcpProxy = await startTcpProxy(sink.smtpPort);
      const { service, db } = await startWorker({ SMTP_PORT: String(line.port), MAIL_RETRY_DELAYS_MS: '100,200,300', SMTP_PROBE_INTERVAL_MS: '200' });
      try {
        // The line takes each connection and drops it at once, as a server going down does.
        line.cut();
        const emails = Array.from({ length: 3 }, (_, i) => uniqueEmail(`dropped-${i}`));
        const events = [];
        for (const email of emails) events.push(await publish(customerRegistered, registered(email)));
        // The whole retry ladder (0.6 s) passes several times over.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        for (const event of events) expect((await notificationsFor(db, event.id))[0]?.status, 'while the line is down').to.equal('pending');
        line.restore();

        await expectEachSentOnce(sink, db, emails, events);
      } finally {
        await service.stop();
        await db.destroy();
        await line.close();
      }
    });

    it('when PostgreSQL drops right after the SMTP server accepted a mail, then the mail is recorded once PostgreSQL is back and is not sent twice', async function () {
      this.timeout(40_000);
      const databaseUrl = testDatabaseUrl('notification_pgcut');
      const pg = await startPostgresProxy(databaseUrl);
      const { service, db } = await startWorker({ SMTP_PORT: String(sink.smtpPort), DATABASE_URL: pg.via(databaseUrl) }, databaseUrl);
      try {
        const email = uniqueEmail('pg-cut');
        const accepted = sink.waitForMail((m) => m.to.some((to) => to.address === email), 10_000).then(() => pg.cut());
        const event = await publish(customerRegistered, registered(email));
        await accepted;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        pg.restore();

        await eventually(async () => (await notificationsFor(db, event.id))[0]?.status === 'sent', 15_000, 'the mail recorded as sent');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(mailsTo(sink, email)).to.have.length(1);
        expect((await notificationsFor(db, event.id))[0]?.attempts).to.equal(1);
      } finally {
        await service.stop();
        await db.destroy();
        await pg.close();
      }
    });
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
