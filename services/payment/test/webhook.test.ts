import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { signWebhook } from '@shop/platform';
import { eventually, type TestResponse } from '@shop/testkit';
import { CARDS, startPaymentFixture, WEBHOOK_SECRET, webhookBodyOf, type PaymentFixture } from './payment.fixture';

const eventId = () => `evt_test_${randomBytes(8).toString('hex')}`;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

// The sandbox sends no webhook here: each test delivers the events itself, as the provider would.
describe('payment service: POST /webhooks/payments', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture({}, { webhooks: false });
  });
  after(() => f.stop());

  /** An order whose capture the provider took, waiting for the provider's webhook to confirm it, and that webhook. */
  async function awaitingConfirmation() {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    const event = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.captured'), 10_000, 'the capture at the provider');
    await f.paymentReaches(orderId, 'capture_requested');
    return { orderId, authorizationId: authorization!.id, event, body: webhookBodyOf(event) };
  }

  const refusals: Array<{ what: string; post: (body: string) => Promise<TestResponse> }> = [
    { what: 'the signature is missing', post: (body) => f.postWebhook(body, { signature: null }) },
    { what: 'it is signed with another secret', post: (body) => f.postWebhook(body, { secret: 'another-secret' }) },
    { what: 'the signature is older than 5 minutes', post: (body) => f.postWebhook(body, { at: minutesAgo(6) }) },
    { what: 'the signature is dated more than 5 minutes ahead', post: (body) => f.postWebhook(body, { at: minutesAgo(-6) }) },
    { what: 'the signature is malformed', post: (body) => f.postWebhook(body, { signature: `t=${Math.floor(Date.now() / 1000)},v1=not-hex` }) },
    {
      what: 'the body was changed after it was signed',
      post: (body) => f.postWebhook(body.replace('"payment.captured"', '"payment.captured" '), { signature: signWebhook(WEBHOOK_SECRET, body) }),
    },
  ];
  for (const { what, post } of refusals) {
    it(`when ${what}, then 401 INVALID_SIGNATURE and the payment still waits for confirmation`, async () => {
      const { orderId, body } = await awaitingConfirmation();

      const response = await post(body);

      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('INVALID_SIGNATURE');
      expect((await f.payment(orderId)).body.status).to.equal('capture_requested');
      expect(await f.eventsFor('payment.captured', orderId)).to.deep.equal([]);
    });
  }

  it("when the provider's captured event comes, then 200, the payment is captured and payment.captured is published; the same event again is 200 and changes nothing", async () => {
    const { orderId, authorizationId, body } = await awaitingConfirmation();

    const first = await f.postWebhook(body, { at: minutesAgo(1) });
    const replay = await f.postWebhook(body);

    expect(first.status).to.equal(200);
    expect(first.body).to.deep.equal({ received: true });
    expect(replay.status).to.equal(200);
    expect(replay.body).to.deep.equal({ received: true, duplicate: true });
    expect((await f.payment(orderId)).body.status).to.equal('captured');
    const captured = await f.eventsFor('payment.captured', orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]).to.deep.include({ orderId, authorizationId });
  });

  it('when an event id comes again with another type, then 200 and it changes nothing', async () => {
    const { orderId, authorizationId, event, body } = await awaitingConfirmation();
    await f.postWebhook(body);

    const response = await f.postWebhook({ ...JSON.parse(body), type: 'payment.capture_failed', data: { ...event.data, authorizationId, reason: 'capture_declined' } });

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.include({ duplicate: true });
    expect((await f.payment(orderId)).body.status).to.equal('captured');
    expect(await f.eventsFor('payment.failed', orderId)).to.deep.equal([]);
  });

  it("when the provider's capture_failed event comes for a payment awaiting confirmation, then 200, the payment is capture_failed and payment.failed is published with the event's reason", async () => {
    const { orderId, authorizationId, event } = await awaitingConfirmation();

    const response = await f.postWebhook({ id: eventId(), type: 'payment.capture_failed', created: Math.floor(Date.now() / 1000), data: { ...event.data, reason: 'capture_declined' } });

    expect(response.status).to.equal(200);
    expect((await f.payment(orderId)).body).to.deep.include({ status: 'capture_failed', failureReason: 'capture_declined' });
    const failed = await f.eventsFor('payment.failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ reason: 'capture_declined', authorizationId });
    expect(await f.eventsFor('payment.captured', orderId)).to.deep.equal([]);
  });

  it('when a valid event is about an authorization the shop does not know, then 200, it is logged for review and nothing is published', async () => {
    const capturedBefore = (await f.events('payment.captured')).length;
    const failedBefore = (await f.events('payment.failed')).length;
    const id = eventId();

    const response = await f.postWebhook({ id, type: 'payment.captured', created: Math.floor(Date.now() / 1000), data: { authorizationId: `auth_unknown_${id}` } });

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ received: true });
    expect(f.logged('a provider event about an authorization the shop does not know; recorded for review').map((m) => m.eventId)).to.include(id);
    expect(await f.events('payment.captured')).to.have.length(capturedBefore);
    expect(await f.events('payment.failed')).to.have.length(failedBefore);
  });

  it('when a refund event comes for a captured payment, then 200 and it changes nothing', async () => {
    const { orderId, event, body } = await awaitingConfirmation();
    await f.postWebhook(body);
    const id = eventId();

    const response = await f.postWebhook({
      id,
      type: 'payment.refunded',
      created: Math.floor(Date.now() / 1000),
      data: { ...event.data, refundId: 're_test', refundedAt: new Date().toISOString(), totalRefunded: event.data.amount },
    });

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ received: true });
    expect(f.logged('a provider event the shop does not act on').map((m) => m.eventId)).to.include(id);
    expect((await f.payment(orderId)).body.status).to.equal('captured');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.failed', orderId)).to.deep.equal([]);
  });

  it('when a correctly signed body is not a provider event, then 400 VALIDATION_ERROR and the payment still waits for confirmation', async () => {
    const { orderId, authorizationId } = await awaitingConfirmation();

    const response = await f.postWebhook({ type: 'payment.captured', data: { authorizationId } });

    expect(response.status).to.equal(400);
    expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    expect((await f.payment(orderId)).body.status).to.equal('capture_requested');
  });

  it('when a correctly signed event holds a NUL character or a lone surrogate, then 400 VALIDATION_ERROR, never a 500, and the payment still waits', async () => {
    const { orderId, authorizationId, body } = await awaitingConfirmation();
    const event = JSON.parse(body);

    const responses = [
      await f.postWebhook({ ...event, id: `${eventId()}\u0000` }),
      await f.postWebhook({ ...event, id: eventId(), type: 'payment.\ud800captured' }),
      await f.postWebhook({ ...event, id: eventId(), data: { authorizationId, reference: 'x\u0000y' } }),
    ];

    expect(responses.map((r) => [r.status, r.body.error?.code])).to.deep.equal(Array(3).fill([400, 'VALIDATION_ERROR']));
    expect((await f.payment(orderId)).body.status).to.equal('capture_requested');
  });

  it('when a correctly signed event starts with a byte order mark, then it is read like any other body', async () => {
    const { orderId, body } = await awaitingConfirmation();

    const response = await f.postWebhook(`\ufeff${body}`);

    expect(response.status).to.equal(200);
    await f.paymentReaches(orderId, 'captured');
  });
});
