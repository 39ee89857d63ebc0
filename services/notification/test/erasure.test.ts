import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  customerDataErased,
  customerRegistered,
  orderPlaced,
  routingKeyOf,
  type CustomerDataErasedV1,
  type CustomerRegisteredV1,
  type EventContract,
  type EventEnvelope,
  type OrderPlacedV1,
} from '@shop/contracts';
import { buildEnvelope, connectDatabase, sql, type Kysely } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { eventually, startMailSink, startTcpProxy, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type EventTap, type MailSink } from '@shop/testkit';
import { loadNotificationConfig } from '../src/config';
import type { NotificationDatabase } from '../src/db/schema';
import { startNotificationService, type NotificationService } from '../src/service';

const logger = testLogger('notification-erasure-test');
const usd = (amount: number) => ({ amount, currency: 'USD' });
const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

function registered(customerId: string, email: string): CustomerRegisteredV1 {
  const verificationToken = `tok-${randomUUID()}`;
  return {
    customerId,
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    verificationUrl: `https://shop.example/verify-email?token=${verificationToken}`,
    verificationToken,
    verificationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    registeredAt: new Date().toISOString(),
  };
}

function placedOrder(customerId: string, email: string): OrderPlacedV1 {
  return {
    orderId: randomUUID(),
    orderNumber: `ORD-2026-${randomUUID().slice(0, 8)}`,
    customerId,
    email,
    lineItems: [{ productId: randomUUID(), variantId: randomUUID(), sku: 'MUG-BLUE', name: 'Blue Mug', quantity: 1, unitPrice: usd(1250), lineTotal: usd(1250) }],
    subtotal: usd(1250),
    shippingCost: usd(0),
    tax: usd(0),
    totalAmount: usd(1250),
    shippingAddress: { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' },
    placedAt: new Date().toISOString(),
  };
}

const erasure = (customerId: string, email?: string): CustomerDataErasedV1 => ({
  customerId,
  anonymizedId: randomUUID(),
  erasedAt: new Date().toISOString(),
  ...(email && { email, firstName: 'Ada' }),
});

describe('notification worker: erasure (customer.data-erased)', function () {
  this.timeout(30_000);
  let amqpUrl: string;
  let publisher: Broker;
  let tap: EventTap;

  before(async () => {
    amqpUrl = await testAmqpUrl();
    publisher = connectBroker({ url: amqpUrl, name: 'notification-erasure-test-publisher', logger });
    await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
    tap = await tapEvents(amqpUrl, ['notification.#']);
  });

  after(async () => {
    await tap.close();
    await publisher.close();
  });

  async function publish<D>(contract: EventContract<D>, data: D, aggregate: { type: string; id: string; version: number }): Promise<EventEnvelope<D>> {
    const envelope = buildEnvelope('test', contract, data, aggregate);
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope: envelope as EventEnvelope }]);
    return envelope;
  }

  const customerRef = (customerId: string, version: number) => ({ type: 'customer', id: customerId, version });
  const publishErasure = (data: CustomerDataErasedV1) => publish(customerDataErased, data, customerRef(data.customerId, 9));

  async function startWorker(smtpPort: number): Promise<{ service: NotificationService; db: Kysely<NotificationDatabase> }> {
    const databaseUrl = testDatabaseUrl('notification');
    const config = loadNotificationConfig({
      PORT: '0',
      DATABASE_URL: databaseUrl,
      AMQP_URL: amqpUrl,
      SMTP_PORT: String(smtpPort),
      SHOP_NAME: 'Test Shop',
      CONSUMER_RETRY_DELAYS_MS: '100,200',
      CONSUMER_RETRY_WINDOW_MS: '60000',
      OUTBOX_POLL_INTERVAL_MS: '50',
      MAIL_POLL_INTERVAL_MS: '100',
    });
    const service = await startNotificationService(config, logger);
    const db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
    return { service, db };
  }

  const mailsTo = (sink: MailSink, address: string) => sink.messages().filter((mail) => mail.to.some((to) => to.address === address));
  const rowOf = (db: Kysely<NotificationDatabase>, eventId: string) => db.selectFrom('notifications').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  const rowsOfCustomer = (db: Kysely<NotificationDatabase>, customerId: string) => db.selectFrom('notifications').selectAll().where('customer_id', '=', customerId).execute();
  const rowsTo = (db: Kysely<NotificationDatabase>, address: string) => db.selectFrom('notifications').selectAll().where('recipient', '=', address).execute();

  async function consumed(db: Kysely<NotificationDatabase>, event: EventEnvelope) {
    await eventually(async () => (await sql`SELECT 1 FROM inbox WHERE event_id = ${event.id}`.execute(db)).rows.length > 0, 10_000, `${event.type} consumed`);
  }

  async function sentRow(db: Kysely<NotificationDatabase>, eventId: string, timeoutMs = 10_000) {
    return eventually(async () => {
      const row = await rowOf(db, eventId);
      return row?.status === 'sent' && row;
    }, timeoutMs, 'a sent notification row');
  }

  describe('with a working SMTP server', () => {
    let sink: MailSink;
    let service: NotificationService;
    let db: Kysely<NotificationDatabase>;

    before(async () => {
      sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
      ({ service, db } = await startWorker(sink.smtpPort));
    });

    after(async () => {
      await service?.stop();
      await db?.destroy();
      await sink?.close();
    });

    /** A customer the worker has mailed twice already (verification, order confirmation). */
    async function mailedCustomer(label: string) {
      const customerId = randomUUID();
      const email = uniqueEmail(label);
      const order = placedOrder(customerId, email);
      const events = [await publish(customerRegistered, registered(customerId, email), customerRef(customerId, 1)), await publish(orderPlaced, order, { type: 'order', id: order.orderId, version: 1 })];
      for (const event of events) await sentRow(db, event.id);
      expect(mailsTo(sink, email)).to.have.length(2);
      return { customerId, email, events };
    }

    it('when a customer is erased, then the confirmation (text and HTML) reaches their address, and once it is sent no stored mail keeps the address', async () => {
      const { customerId, email, events } = await mailedCustomer('erased');
      const data = erasure(customerId, email);

      const event = await publishErasure(data);

      const mail = await sink.waitForMail((m) => m.to.some((to) => to.address === email) && /erased/.test(m.subject));
      expect(mail.subject).to.equal('Your Test Shop account and personal data have been erased');
      expect(mail.text).to.include('Hi Ada,');
      expect(mail.text).to.include('we forget this address too');
      expect(mail.html).to.include('<p>Hi Ada,</p>');
      expect(mail.html).to.include('<li>Your account is closed and you are signed out everywhere.</li>');
      const confirmation = await sentRow(db, event.id);
      expect(confirmation).to.include({ template: 'erasure-confirmation', recipient: '', customer_id: data.anonymizedId, text_body: null, html_body: null });
      expect(await rowsTo(db, email), 'no row keeps the address').to.deep.equal([]);
      expect(await rowsOfCustomer(db, customerId), 'no row keeps the customer id').to.deep.equal([]);
      const kept = await rowsOfCustomer(db, data.anonymizedId);
      expect(kept.map((r) => r.event_id).sort()).to.deep.equal([...events.map((e) => e.id), event.id].sort());
      for (const row of kept) expect(row).to.include({ status: 'sent', recipient: '', text_body: null, html_body: null });
      const sent = await tap.waitFor<{ eventId: string; template: string }>('notification.sent', (d) => d.eventId === event.id);
      expect(sent.data.template).to.equal('erasure-confirmation');
    });

    it('when the erasure event is delivered again, then no second confirmation goes out', async () => {
      const { customerId, email } = await mailedCustomer('erased-twice');
      const event = await publishErasure(erasure(customerId, email));
      await sentRow(db, event.id);

      await publisher.publish([{ routingKey: routingKeyOf(event), envelope: event as EventEnvelope }]);
      // One queue, handled in order: once a later event is in, the redelivery was handled before it.
      await consumed(db, await publishErasure(erasure(randomUUID())));
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(mailsTo(sink, email).filter((m) => /erased/.test(m.subject))).to.have.length(1);
      expect(await rowsTo(db, email)).to.deep.equal([]);
    });

    it('when the erasure event carries no address, then no mail goes out and the stored mails forget the address all the same', async () => {
      const { customerId, email } = await mailedCustomer('erased-silently');
      const data = erasure(customerId);

      const event = await publishErasure(data);
      await consumed(db, event);

      expect(await rowOf(db, event.id)).to.equal(undefined);
      expect(await rowsTo(db, email)).to.deep.equal([]);
      expect((await rowsOfCustomer(db, data.anonymizedId)).map((r) => r.recipient)).to.deep.equal(['', '']);
      expect(mailsTo(sink, email)).to.have.length(2);
    });

    it('when a mail to the customer failed for good with the address in its error, then the erasure takes the address out of the error too', async () => {
      const customerId = randomUUID();
      const email = uniqueEmail('refused');
      sink.refuseRecipients((address) => (address === email ? { code: 550, message: `mailbox ${email} unavailable` } : undefined));
      let failed: EventEnvelope;
      try {
        failed = await publish(customerRegistered, registered(customerId, email), customerRef(customerId, 1));
        await eventually(async () => (await rowOf(db, failed.id))?.status === 'failed', 10_000, 'a failed row');
        expect((await rowOf(db, failed.id))?.error).to.include(email);
      } finally {
        sink.refuseRecipients(undefined);
      }

      await consumed(db, await publishErasure(erasure(customerId)));

      const row = await rowOf(db, failed.id);
      expect(row).to.include({ status: 'failed', recipient: '' });
      expect(row?.error).to.match(/mailbox \[erased\] unavailable/);
    });
  });

  describe('with the SMTP server away at the time of the erasure', () => {
    it("when a mail to the customer is still waiting to be sent, then it is cancelled and never sent, and the address waits only on the confirmation until that goes out", async function () {
      this.timeout(40_000);
      const sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
      const line = await startTcpProxy(sink.smtpPort);
      const { service, db } = await startWorker(line.port);
      try {
        line.cut();
        const customerId = randomUUID();
        const email = uniqueEmail('erased-while-waiting');
        const waiting = await publish(customerRegistered, registered(customerId, email), customerRef(customerId, 1));
        await eventually(async () => ((await rowOf(db, waiting.id))?.attempts ?? 0) >= 1, 10_000, 'a first attempt that failed');
        const data = erasure(customerId, email);

        const event = await publishErasure(data);
        await consumed(db, event);

        expect(await rowOf(db, waiting.id)).to.include({ status: 'cancelled', recipient: '', text_body: null, html_body: null, customer_id: data.anonymizedId });
        const holding = await rowsTo(db, email);
        expect(holding.map((r) => r.event_id), 'only the confirmation holds the address').to.deep.equal([event.id]);
        expect(holding[0]?.status).to.be.oneOf(['pending', 'sending']);

        line.restore();
        const confirmation = await sentRow(db, event.id, 15_000);
        expect(confirmation.recipient).to.equal('');
        await new Promise((resolve) => setTimeout(resolve, 500));
        const mails = mailsTo(sink, email);
        expect(mails.map((m) => m.subject)).to.deep.equal(['Your Test Shop account and personal data have been erased']);
        expect((await rowOf(db, waiting.id))?.status, 'the cancelled mail stays cancelled').to.equal('cancelled');
        expect(await rowsTo(db, email)).to.deep.equal([]);
      } finally {
        await service.stop();
        await db.destroy();
        await line.close();
        await sink.close();
      }
    });
  });
});
