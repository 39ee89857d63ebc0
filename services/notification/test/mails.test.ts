import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  cartExpired,
  customerEmailChanged,
  customerProfileUpdated,
  customerRegistered,
  customerSuspended,
  customerVerificationRequested,
  inventoryLowStock,
  inventoryOutOfStock,
  orderCancelled,
  orderCarrierUpdateUnmatched,
  orderDelivered,
  orderPlaced,
  orderShipped,
  paymentFailed,
  paymentRefunded,
  paymentRefundFailed,
  subscriptions,
  type EventContract,
  type OrderPlacedV1,
} from '@shop/contracts';
import { buildEnvelope, sql } from '@shop/db';
import { countParked } from '@shop/messaging';
import { eventually } from '@shop/testkit';
import {
  cancelled,
  carrierUpdateUnmatched,
  cartExpiredFor,
  delivered,
  emailChanged,
  lowStock,
  outOfStock,
  paymentFailedFor,
  placedOrder,
  profileUpdated,
  refunded,
  refundFailed,
  registered,
  shipped,
  suspended,
  uniqueEmail,
  usd,
  verificationRequested,
} from './events';
import { settle, startMailsBacking, startMailWorker, type MailsBacking, type MailWorker } from './mails.fixture';

const EMAILS_QUEUE = subscriptions.notificationEmails.queue;
const REVIEW_FIELDS = ['id', 'eventId', 'eventType', 'template', 'recipient', 'subject', 'status', 'attempts', 'error', 'createdAt', 'sentAt', 'failedAt'];

describe('notification worker: the mails', function () {
  this.timeout(30_000);
  let backing: MailsBacking;

  before(async () => {
    backing = await startMailsBacking();
  });

  after(async () => {
    await backing?.close();
  });

  // Events as their producers publish them: each names its aggregate and that aggregate's version.
  const customerEvent = <D extends { customerId: string }>(contract: EventContract<D>, data: D, version = 1) =>
    backing.publish(contract, data, { type: 'customer', id: data.customerId, version });
  const orderEvent = <D extends { orderId: string }>(contract: EventContract<D>, data: D, version = 1) => backing.publish(contract, data, { type: 'order', id: data.orderId, version });
  const paymentEvent = <D extends { paymentId: string }>(contract: EventContract<D>, data: D) => backing.publish(contract, data, { type: 'payment', id: data.paymentId, version: 1 });

  /** A customer (registered unless told otherwise) whose order the worker has taken in: its confirmation is out. */
  async function orderOf(worker: MailWorker, label: string, options: { registered?: boolean } = {}): Promise<{ email: string; order: OrderPlacedV1 }> {
    const email = uniqueEmail(label);
    const order = placedOrder(email);
    if (options.registered !== false) await customerEvent(customerRegistered, registered(email, order.customerId));
    await orderEvent(orderPlaced, order);
    await worker.mailTo(email, new RegExp(`^Your Test Shop order ${order.orderNumber}$`));
    return { email, order };
  }

  describe('with a working SMTP server', () => {
    let worker: MailWorker;

    before(async () => {
      worker = await startMailWorker(backing);
    });

    after(async () => {
      await worker?.stop();
    });

    describe('order mails', () => {
      it('when an order is shipped and then delivered, then the customer gets a shipped mail with the carrier and tracking number and a delivered mail, every order mail naming the order number in its subject', async () => {
        const { email, order } = await orderOf(worker, 'shipped');
        const shipment = shipped(order, 'DHL');

        await orderEvent(orderShipped, shipment, 3);
        const shippedMail = await worker.mailTo(email, 'has shipped');
        await orderEvent(orderDelivered, delivered(order), 4);
        const deliveredMail = await worker.mailTo(email, 'was delivered');

        expect(shippedMail.subject).to.equal(`Your Test Shop order ${order.orderNumber} has shipped`);
        expect(shippedMail.text).to.include('Hi Ada,');
        expect(shippedMail.text).to.include('Carrier:         DHL');
        expect(shippedMail.text).to.include(`Tracking number: ${shipment.trackingNumber}`);
        expect(shippedMail.html).to.include(shipment.trackingNumber);
        expect(deliveredMail.subject).to.equal(`Your Test Shop order ${order.orderNumber} was delivered`);
        expect(deliveredMail.text).to.include(`The carrier delivered order ${order.orderNumber}`);
        await settle();
        const orderSubjects = worker
          .mailsTo(email)
          .map((mail) => mail.subject)
          .filter((subject) => !subject.startsWith('Welcome'));
        expect(orderSubjects).to.have.length(3);
        for (const subject of orderSubjects) expect(subject).to.include(order.orderNumber);
      });

      it('when a paid order is cancelled and its refund completes, then the cancellation names the reason and the refund, and the refund mail names the order number the worker kept from order.placed', async () => {
        // Not registered with the worker: both mails go to the address the order was placed with.
        const { email, order } = await orderOf(worker, 'refunded', { registered: false });

        await orderEvent(orderCancelled, cancelled(order, 'found it cheaper', usd(4820)), 2);
        const cancellation = await worker.mailTo(email, 'was cancelled');
        const refund = refunded(order, usd(4820));
        await paymentEvent(paymentRefunded, refund);
        const refundMail = await worker.mailTo(email, 'refund');

        expect(cancellation.subject).to.equal(`Your Test Shop order ${order.orderNumber} was cancelled`);
        expect(cancellation.text).to.include('Reason: found it cheaper');
        expect(cancellation.text).to.include('We are refunding $48.20 to your original payment method');
        expect(cancellation.text).not.to.include('not charged');
        expect(refund).not.to.have.property('orderNumber');
        expect(refundMail.subject).to.equal(`Your refund for Test Shop order ${order.orderNumber} is complete`);
        expect(refundMail.text).to.include(`We refunded $48.20 for order ${order.orderNumber}`);
      });

      it('when an order is cancelled before anything was charged (refund 0), then the mail says the customer was not charged', async () => {
        const { email, order } = await orderOf(worker, 'not-charged');

        await orderEvent(orderCancelled, cancelled(order, 'payment never approved', usd(0)), 2);

        const cancellation = await worker.mailTo(email, 'was cancelled');
        expect(cancellation.subject).to.include(order.orderNumber);
        expect(cancellation.text).to.include('Reason: payment never approved');
        expect(cancellation.text).to.include('You were not charged for this order');
        expect(cancellation.text).not.to.include('We are refunding');
      });

      it('when the payment of an order fails, then the customer gets the payment-failed mail naming the order, the amount and the reason', async () => {
        const { email, order } = await orderOf(worker, 'payment-failed');

        await paymentEvent(paymentFailed, paymentFailedFor(order, 'card_declined'));

        const mail = await worker.mailTo(email, 'We could not take payment');
        expect(mail.subject).to.equal(`We could not take payment for Test Shop order ${order.orderNumber}`);
        expect(mail.text).to.include('Hi Ada,');
        expect(mail.text).to.include('$48.20');
        expect(mail.text).to.include('card_declined');
        expect(mail.text).to.include('nothing was charged');
      });

      it('when the customer left or never finished the payment approval (approval_cancelled, approval_expired), then payment.failed sends nothing', async () => {
        const { email, order } = await orderOf(worker, 'approval');

        const left = await paymentEvent(paymentFailed, paymentFailedFor(order, 'approval_cancelled'));
        const expired = await paymentEvent(paymentFailed, paymentFailedFor(order, 'approval_expired'));

        for (const event of [left, expired]) {
          await worker.consumed(event.id);
          expect(await worker.rows(event.id), event.data.reason).to.have.length(0);
        }
        await settle();
        expect(worker.mailsTo(email).map((mail) => mail.subject)).to.have.members(['Welcome to Test Shop: please confirm your e-mail address', `Your Test Shop order ${order.orderNumber}`]);
      });
    });

    describe('customer mails', () => {
      it('when a customer is suspended, then they get the suspension mail with its reason', async () => {
        const email = uniqueEmail('suspended');
        const customer = registered(email);
        await customerEvent(customerRegistered, customer);

        await customerEvent(customerSuspended, suspended(customer.customerId, email, 'chargebacks under review'), 2);

        const mail = await worker.mailTo(email, 'suspended');
        expect(mail.subject).to.equal('Your Test Shop account is suspended');
        expect(mail.text).to.include('Hi Ada,');
        expect(mail.text).to.include('for this reason: chargebacks under review');
      });

      it("when a customer's cart expires, then they hear of it; when a guest's cart (no customer) expires, then nothing is sent", async () => {
        const email = uniqueEmail('cart');
        const customer = registered(email);
        await customerEvent(customerRegistered, customer);

        const mine = cartExpiredFor(customer.customerId);
        await backing.publish(cartExpired, mine, { type: 'cart', id: mine.cartId, version: 5 });
        const guests = cartExpiredFor(null);
        const guestEvent = await backing.publish(cartExpired, guests, { type: 'cart', id: guests.cartId, version: 2 });

        const mail = await worker.mailTo(email, 'cart');
        expect(mail.subject).to.equal('Your Test Shop cart has expired');
        expect(mail.text).to.include('Hi Ada,');
        await worker.consumed(guestEvent.id);
        expect(await worker.rows(guestEvent.id)).to.have.length(0);
      });

      it('when a customer changes their e-mail address, then the new address gets the verification link and the old one a notice without it', async () => {
        const oldEmail = uniqueEmail('old');
        const newEmail = uniqueEmail('new');
        const customer = registered(oldEmail);
        await customerEvent(customerRegistered, customer);
        const change = emailChanged(customer.customerId, oldEmail, newEmail, 'Ada');

        await customerEvent(customerEmailChanged, change, 2);

        const link = await worker.mailTo(newEmail, 'Confirm your new e-mail address');
        expect(link.subject).to.equal('Confirm your new e-mail address for Test Shop');
        expect(link.text).to.include(change.link);
        const notice = await worker.mailTo(oldEmail, 'was changed');
        expect(notice.subject).to.equal('The e-mail address of your Test Shop account was changed');
        expect(notice.text).to.include(newEmail);
        expect(notice.text).not.to.include(change.token);
      });

      it('when a newer profile update renamed the customer, then later mails greet the new name; an older profile event arriving late does not roll it back, and an older event that asks for a mail still sends it', async () => {
        const email = uniqueEmail('renamed');
        const order = placedOrder(email);
        const { customerId } = order;
        await customerEvent(customerRegistered, registered(email, customerId), 1);
        await customerEvent(customerProfileUpdated, profileUpdated(customerId, 'Augusta'), 3);

        // Versions 2, arriving after version 3: outdated for the view, but a mail still to send.
        await customerEvent(customerProfileUpdated, profileUpdated(customerId, 'Adelaide'), 2);
        const resend = verificationRequested(email, customerId);
        await customerEvent(customerVerificationRequested, resend, 2);
        await orderEvent(orderPlaced, order, 1);
        await orderEvent(orderShipped, shipped(order), 3);

        const link = await worker.mailTo(email, 'verification link');
        expect(link.text).to.include(resend.link);
        const confirmation = await worker.mailTo(email, new RegExp(`^Your Test Shop order ${order.orderNumber}$`));
        const shipment = await worker.mailTo(email, 'has shipped');
        expect(confirmation.text).to.include('Hi Augusta,');
        expect(shipment.text).to.include('Hi Augusta,');
        const known = await worker.db.selectFrom('customers').select('first_name').where('customer_id', '=', customerId).executeTakeFirst();
        expect(known?.first_name).to.equal('Augusta');
      });

      it('when an e-mail change arrives after a newer profile update, then the address still changes (each field keeps its own version) and later mails go to the new address by the newer name', async () => {
        const oldEmail = uniqueEmail('late-old');
        const newEmail = uniqueEmail('late-new');
        const order = placedOrder(oldEmail);
        const { customerId } = order;
        await customerEvent(customerRegistered, registered(oldEmail, customerId), 1);
        await customerEvent(customerProfileUpdated, profileUpdated(customerId, 'Augusta'), 3);
        await customerEvent(customerEmailChanged, emailChanged(customerId, oldEmail, newEmail, 'Ada'), 2);
        await orderEvent(orderPlaced, order, 1);

        await orderEvent(orderShipped, shipped(order), 3);

        const shipment = await worker.mailTo(newEmail, 'has shipped');
        expect(shipment.text).to.include('Hi Augusta,');
        const known = await worker.db.selectFrom('customers').select(['email', 'first_name']).where('customer_id', '=', customerId).executeTakeFirst();
        expect(known).to.deep.equal({ email: newEmail, first_name: 'Augusta' });
      });

      it('when the same customer.email-changed event is delivered twice, then the link and the notice go out once each', async () => {
        const oldEmail = uniqueEmail('old-twice');
        const newEmail = uniqueEmail('new-twice');
        const envelope = buildEnvelope('customer', customerEmailChanged, emailChanged(randomUUID(), oldEmail, newEmail), { type: 'customer', id: randomUUID(), version: 2 });

        await backing.deliver(envelope);
        await worker.mailTo(newEmail, 'Confirm');
        await worker.mailTo(oldEmail, 'was changed');
        await backing.deliver(envelope);
        await worker.consumed(envelope.id);
        await settle(750);

        expect(worker.mailsTo(newEmail)).to.have.length(1);
        expect(worker.mailsTo(oldEmail)).to.have.length(1);
        expect((await worker.rows(envelope.id)).map((row) => [row.template, row.status])).to.deep.equal([
          ['email-changed-notice', 'sent'],
          ['verification-email', 'sent'],
        ]);
      });
    });

    describe('staff alerts to ALERT_EMAIL', () => {
      it('when a variant runs low, then staff get an alert naming the product and SKU in its subject', async () => {
        const alert = lowStock(`Walnut Clock ${randomUUID().slice(0, 6)}`, `CLK-${randomUUID().slice(0, 6)}`, 3, 5);

        await backing.publish(inventoryLowStock, alert, { type: 'inventory', id: alert.inventoryId, version: 7 });

        const mail = await worker.mailTo(worker.alertEmail, alert.sku as string);
        expect(mail.subject).to.equal(`Low stock: ${alert.productName} (${alert.sku}), 3 left`);
        expect(mail.text).to.include('threshold of 5');
        expect(mail.text).to.include(alert.variantId);
      });

      it('when a variant sells out, then staff get an alert naming the product and SKU in its subject', async () => {
        const alert = outOfStock(`Linen Apron ${randomUUID().slice(0, 6)}`, `APR-${randomUUID().slice(0, 6)}`);

        await backing.publish(inventoryOutOfStock, alert, { type: 'inventory', id: alert.inventoryId, version: 9 });

        const mail = await worker.mailTo(worker.alertEmail, alert.sku as string);
        expect(mail.subject).to.equal(`Out of stock: ${alert.productName} (${alert.sku})`);
        expect(mail.text).to.include('sold out');
      });

      it('when a refund fails, then staff get an alert naming the order number, the amount and the reason; the customer gets nothing', async () => {
        const { email, order } = await orderOf(worker, 'refund-failed');
        const failure = refundFailed(order, 'card account closed');

        await paymentEvent(paymentRefundFailed, failure);

        const mail = await worker.mailTo(worker.alertEmail, order.orderNumber);
        expect(mail.subject).to.equal(`Refund failed for order ${order.orderNumber}: $48.20`);
        expect(mail.text).to.include('card account closed');
        expect(mail.text).to.include(failure.paymentId);
        expect(mail.text).not.to.match(/^Hi /m);
        await settle();
        expect(worker.mailsTo(email)).to.have.length(2);
      });

      it('when a carrier reports on a tracking number no order has, then staff get an alert naming it', async () => {
        const trackingNumber = `1Z${randomUUID().slice(0, 12).toUpperCase()}`;

        await backing.publish(orderCarrierUpdateUnmatched, carrierUpdateUnmatched(trackingNumber, 'in_transit'), { type: 'carrier-tracking', id: trackingNumber, version: 1 });

        const mail = await worker.mailTo(worker.alertEmail, trackingNumber);
        expect(mail.subject).to.equal(`Carrier update for an unknown tracking number: ${trackingNumber}`);
        expect(mail.text).to.include('reported "in_transit"');
      });
    });
  });

  describe('with mail retries after 100, 200 and 300 ms', () => {
    let worker: MailWorker;
    let admin: string;
    let customer: string;

    before(async () => {
      worker = await startMailWorker(backing, { MAIL_RETRY_DELAYS_MS: '100,200,300' });
      admin = await backing.issuer.token({ role: 'admin' });
      customer = await backing.issuer.token({ role: 'customer' });
    });

    after(async () => {
      await worker?.stop();
    });

    /** A verification mail the SMTP server refused with `code` until it was failed. */
    async function failedMail(label: string, code: number, attempts: number) {
      const email = uniqueEmail(label);
      worker.refuse(email, { code, message: code < 500 ? 'mailbox busy, try again later' : 'mailbox unavailable' });
      const event = await customerEvent(customerRegistered, registered(email));
      const row = await worker.rowIn(event.id, 'verification-email', 'failed');
      expect(row.attempts).to.equal(attempts);
      return { email, event, row };
    }

    describe('when the SMTP server refuses a recipient', () => {
      it('when the refusal is transient (451), then the mail is tried 4 times (the first and 3 retries), then failed: notification.failed published once, nothing parked, nothing delivered', async () => {
        const { email, event, row } = await failedMail('busy', 451, 4);

        expect(row.error).to.match(/try again later/);
        expect(row.failed_at).to.be.instanceOf(Date);
        await backing.tap.waitFor('notification.failed', (d: { eventId: string }) => d.eventId === event.id);
        await settle(750);
        const failures = backing.tap.payloads<{ eventId: string; attempts: number }>('notification.failed', (d) => d.eventId === event.id);
        expect(failures.map((d) => d.attempts)).to.deep.equal([4]);
        expect((await worker.rows(event.id))[0]).to.include({ status: 'failed', attempts: 4 });
        expect(await countParked(backing.publisher, EMAILS_QUEUE)).to.equal(0);
        expect(worker.mailsTo(email)).to.have.length(0);
      });

      it('when the refusal is permanent (550), then the mail is failed after its first attempt', async () => {
        const { email, event, row } = await failedMail('gone', 550, 1);

        expect(row.error).to.match(/mailbox unavailable/);
        const failed = await backing.tap.waitFor<{ eventId: string; attempts: number }>('notification.failed', (d) => d.eventId === event.id);
        expect(failed.data.attempts).to.equal(1);
        expect(worker.mailsTo(email)).to.have.length(0);
      });
    });

    describe('GET /admin/notifications', () => {
      it('when an admin lists the mails, then they come newest first, a page at a time, with the total', async () => {
        const events = [];
        for (const label of ['first', 'second', 'third']) {
          const event = await customerEvent(customerRegistered, registered(uniqueEmail(`list-${label}`)));
          await worker.rowIn(event.id, 'verification-email', 'sent');
          events.push(event);
        }
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications`.execute(worker.db);

        const firstPage = await worker.api.get('/admin/notifications?pageSize=2', { token: admin });
        const secondPage = await worker.api.get('/admin/notifications?page=2&pageSize=2', { token: admin });

        expect(firstPage.status).to.equal(200);
        expect(firstPage.body).to.include({ page: 1, pageSize: 2, total: rows[0]?.n });
        expect(firstPage.body.items.map((item: { eventId: string }) => item.eventId)).to.deep.equal([events[2]?.id, events[1]?.id]);
        expect(secondPage.body).to.include({ page: 2, pageSize: 2, total: rows[0]?.n });
        expect(secondPage.body.items[0].eventId).to.equal(events[0]?.id);
        const defaults = await worker.api.get('/admin/notifications', { token: admin });
        expect(defaults.body).to.include({ page: 1, pageSize: 20 });
        const times = defaults.body.items.map((item: { createdAt: string }) => Date.parse(item.createdAt));
        expect(times).to.deep.equal([...times].sort((a, b) => b - a));
      });

      it('when an admin filters by status and template, then only those mails come, and never their bodies or facts', async () => {
        const { event } = await failedMail('review', 550, 1);
        const kept = (await worker.rows(event.id))[0];
        expect(kept?.facts, 'the failed mail still holds its sealed link').to.not.equal(null);

        const failed = await worker.api.get('/admin/notifications?status=failed&template=verification-email&pageSize=100', { token: admin });
        const sent = await worker.api.get('/admin/notifications?status=sent&pageSize=100', { token: admin });
        const confirmations = await worker.api.get('/admin/notifications?template=order-confirmation', { token: admin });

        expect(failed.status).to.equal(200);
        expect(failed.body.items[0]).to.include({ eventId: event.id, status: 'failed', template: 'verification-email', attempts: 1 });
        expect(Object.keys(failed.body.items[0])).to.have.members(REVIEW_FIELDS);
        expect(failed.body.items.every((item: { status: string; template: string }) => item.status === 'failed' && item.template === 'verification-email')).to.equal(true);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE status = 'failed' AND template = 'verification-email'`.execute(worker.db);
        expect(failed.body.total).to.equal(rows[0]?.n);
        expect(JSON.stringify(failed.body)).not.to.include((kept?.facts as { linkSealed: string }).linkSealed);
        expect(sent.body.items.length).to.be.greaterThan(0);
        expect(sent.body.items.every((item: { status: string }) => item.status === 'sent')).to.equal(true);
        expect(confirmations.status).to.equal(200);
        expect(confirmations.body).to.include({ total: 0 });
        expect(confirmations.body.items).to.deep.equal([]);
      });

      it('when the status or template is not one there is, or pageSize is over 100, then 400 VALIDATION_ERROR', async () => {
        for (const query of ['status=lost', 'template=newsletter', 'pageSize=101', 'page=0']) {
          const response = await worker.api.get(`/admin/notifications?${query}`, { token: admin });
          expect([response.status, response.body.error?.code], query).to.deep.equal([400, 'VALIDATION_ERROR']);
        }
      });

      it('when there is no token, then 401; when a customer asks, then 403', async () => {
        const anonymous = await worker.api.get('/admin/notifications');
        const shopper = await worker.api.get('/admin/notifications', { token: customer });
        const shopperRetry = await worker.api.post(`/admin/notifications/${randomUUID()}/retry`, {}, { token: customer });

        expect([anonymous.status, anonymous.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
        expect([shopper.status, shopper.body.error.code]).to.deep.equal([403, 'FORBIDDEN']);
        expect([shopperRetry.status, shopperRetry.body.error.code]).to.deep.equal([403, 'FORBIDDEN']);
      });
    });

    describe('POST /admin/notifications/:id/retry', () => {
      it('when the id is unknown, then 404 NOTIFICATION_NOT_FOUND; when it is not an id, then 400 VALIDATION_ERROR', async () => {
        const unknown = await worker.api.post(`/admin/notifications/${randomUUID()}/retry`, {}, { token: admin });
        const malformed = await worker.api.post('/admin/notifications/not-an-id/retry', {}, { token: admin });

        expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'NOTIFICATION_NOT_FOUND']);
        expect([malformed.status, malformed.body.error.code]).to.deep.equal([400, 'VALIDATION_ERROR']);
      });

      it('when the mail was sent, then 409 CONFLICT and it is not sent again', async () => {
        const email = uniqueEmail('sent-once');
        const event = await customerEvent(customerRegistered, registered(email));
        const row = await worker.rowIn(event.id, 'verification-email', 'sent');

        const response = await worker.api.post(`/admin/notifications/${row.id}/retry`, {}, { token: admin });

        expect([response.status, response.body.error.code]).to.deep.equal([409, 'CONFLICT']);
        await settle();
        expect(worker.mailsTo(email)).to.have.length(1);
        expect((await worker.rows(event.id))[0]).to.include({ status: 'sent', attempts: 1 });
      });

      it('when a failed mail is sent again and the server now takes it, then 200, it arrives exactly once and is recorded as sent', async () => {
        const { email, event, row } = await failedMail('retried', 550, 1);
        worker.refuse(email, undefined);

        const response = await worker.api.post(`/admin/notifications/${row.id}/retry`, {}, { token: admin });

        expect(response.status).to.equal(200);
        expect(response.body).to.deep.equal({ id: row.id, status: 'pending' });
        const mail = await worker.mailTo(email, 'Welcome');
        expect(mail.text).to.include('Hi Ada,');
        const sent = await worker.rowIn(event.id, 'verification-email', 'sent');
        expect(sent).to.include({ attempts: 2, error: null });
        await settle(750);
        expect(worker.mailsTo(email)).to.have.length(1);
        expect((await worker.rows(event.id))[0]).to.include({ status: 'sent', attempts: 2 });
        const again = await worker.api.post(`/admin/notifications/${row.id}/retry`, {}, { token: admin });
        expect(again.status).to.equal(409);
      });

      it('when a failed mail is sent again and the server refuses it for now (451), then it is failed again after that one attempt, not a new round of retries', async () => {
        const { email, event, row } = await failedMail('still-refused', 550, 1);
        worker.refuse(email, { code: 451, message: 'mailbox busy, try again later' });

        const response = await worker.api.post(`/admin/notifications/${row.id}/retry`, {}, { token: admin });

        expect(response.status).to.equal(200);
        await eventually(async () => {
          const [now] = await worker.rows(event.id);
          return now?.status === 'failed' && now.attempts === 2;
        }, 5_000, 'failed again after its second attempt');
        // The ladder would have tried again 200 ms later, then 300 ms after that.
        await settle(1_000);
        expect((await worker.rows(event.id))[0]).to.include({ status: 'failed', attempts: 2 });
        expect((await worker.rows(event.id))[0]?.error).to.match(/try again later/);
        expect(worker.mailsTo(email)).to.have.length(0);
      });
    });
  });

  describe('with two worker replicas on one database and queue', () => {
    let worker: MailWorker;

    before(async () => {
      worker = await startMailWorker(backing, {}, 2);
      // A slow answer keeps both replicas' sends in flight at the same time.
      worker.sink.delayAcceptance(50);
    });

    after(async () => {
      await worker?.stop();
    });

    it('when 40 orders are placed at once, then every confirmation arrives exactly once and no mail is left unsent', async function () {
      this.timeout(45_000);
      const orders = Array.from({ length: 40 }, (_, i) => placedOrder(uniqueEmail(`replica-${i}`)));

      const events = await Promise.all(orders.map((order) => orderEvent(orderPlaced, order)));

      await eventually(() => orders.every((order) => worker.mailsTo(order.email).length > 0), 30_000, 'every confirmation');
      await settle(1_000);
      for (const order of orders) expect(worker.mailsTo(order.email), order.email).to.have.length(1);
      const eventIds = events.map((event) => event.id);
      const rows = await worker.db.selectFrom('notifications').select(['status', 'attempts']).where('event_id', 'in', eventIds).execute();
      expect(rows).to.have.length(40);
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).to.equal(true);
    });
  });
});
