import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { findPaymentByOrder } from '../src/db/payment.repository';
import { CARDS, PROVIDER_API_KEY, startPaymentFixture, usd, webhookBodyOf, type PaymentFixture } from './payment.fixture';

const SETTLEMENT_EVENTS = ['payment.voided', 'payment.refunded', 'payment.refund-failed'];

/** The authorization as the sandbox provider shows it (GET /v1/authorizations/:id), its refunds included. */
async function sandboxAuthorization(f: PaymentFixture, authorizationId: string): Promise<Record<string, any>> {
  const response = await f.provider.get(`/v1/authorizations/${encodeURIComponent(authorizationId)}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
  expect(response.status).to.equal(200);
  return response.body;
}

/** The voids and refunds the service asked of the provider about one authorization. */
const settlementCalls = (f: PaymentFixture, authorizationId: string) => f.providerCalls(authorizationId).filter((c) => c.method === 'void' || c.method === 'refund').map((c) => c.method);

/** Waits until the service's consumer has handled this delivery with this outcome. */
function handled(f: PaymentFixture, eventId: string, outcome: 'applied' | 'duplicate' | 'stale') {
  return eventually(() => f.logged('event handled').find((m) => m.eventId === eventId && m.outcome === outcome), 10_000, `event ${eventId} ${outcome}`);
}

/** An order whose payment was authorized, captured and confirmed. */
async function capturedOrder(f: PaymentFixture, cardNumber: string = CARDS.approved, amount = 4820) {
  const { orderId, response } = await f.authorize(cardNumber, amount);
  const [authorization] = await f.authorizationsFor(orderId);
  await f.placeOrder(orderId, amount);
  await f.paymentReaches(orderId, 'captured');
  return { orderId, paymentId: response.body.paymentId as string, authorizationId: authorization!.id };
}

describe('payment service: order.cancelled voids or refunds the payment', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  it('when an order whose payment is only authorized is cancelled, then the authorization is voided at the provider and payment.voided is published once, even when order.cancelled comes again', async () => {
    const { orderId, response: authorized } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);

    const cancelled = await f.cancelOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'voided');
    await f.redeliver(cancelled);
    await handled(f, cancelled.id, 'duplicate');
    expect(payment.cancelRequestedAt).to.be.a('string');
    expect(payment.voidedAt).to.be.a('string');
    const voided = await f.eventsFor('payment.voided', orderId);
    expect(voided).to.have.length(1);
    expect(voided[0]).to.deep.include({ paymentId: authorized.body.paymentId, orderId, amount: usd(4820), authorizationId: authorization!.id, paymentMethod: 'card' });
    expect((await sandboxAuthorization(f, authorization!.id)).status).to.equal('voided');
    expect(f.providerCalls(authorization!.id).map((c) => c.method)).to.deep.equal(['void']);
    expect(await f.eventsFor('payment.refunded', orderId)).to.deep.equal([]);
  });

  it('when a captured order is cancelled, then what was captured is refunded at the provider and payment.refunded is published once; the webhook again changes nothing', async () => {
    const { orderId, paymentId, authorizationId } = await capturedOrder(f);

    await f.cancelOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'refunded');
    expect(payment.amount).to.deep.equal(usd(4820));
    expect(payment.capturedAt).to.be.a('string');
    expect(payment.refundId).to.match(/^re_/);
    expect(payment.refundedAt).to.be.a('string');
    const refunded = await f.eventsFor('payment.refunded', orderId);
    expect(refunded).to.have.length(1);
    expect(refunded[0]).to.deep.include({ paymentId, orderId, amount: usd(4820), authorizationId, paymentMethod: 'card', refundId: payment.refundId });
    const authorization = await sandboxAuthorization(f, authorizationId);
    expect(authorization).to.deep.include({ status: 'captured', refundedAmount: usd(4820) });
    expect(authorization.refunds.map((r: Record<string, unknown>) => [r.id, r.status])).to.deep.equal([[payment.refundId, 'succeeded']]);
    const delivered = await eventually(async () => (await f.sandboxEvents(authorizationId)).find((e) => e.type === 'payment.refunded' && e.delivery.status === 'delivered'), 5_000, 'payment.refunded delivered');
    const replay = await f.postWebhook(webhookBodyOf(delivered));
    expect(replay.status).to.equal(200);
    expect(replay.body).to.deep.equal({ received: true, duplicate: true });
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(f.providerCalls(authorizationId).filter((c) => c.method === 'refund')).to.have.length(1);
    expect((await f.payment(orderId)).body.status).to.equal('refunded');
  });

  it('when the refund of a cancelled order is refused (card 4000000000000259), then the payment is refund_failed and payment.refund-failed is published once with the reason, for staff', async () => {
    const { orderId, authorizationId } = await capturedOrder(f, CARDS.refundFails);

    await f.cancelOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'refund_failed');
    expect(payment.failureReason).to.equal('refund_failed');
    const failed = await f.eventsFor('payment.refund-failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ orderId, amount: usd(4820), authorizationId, reason: 'refund_failed' });
    expect(f.logged('the refund of a cancelled order was refused by the provider; it waits for staff').map((m) => m.orderId)).to.include(orderId);
    // The provider's refund_failed webhook comes as well, and changes nothing more.
    await eventually(async () => (await f.sandboxEvents(authorizationId)).find((e) => e.type === 'payment.refund_failed' && e.delivery.status === 'delivered'), 5_000, 'refund_failed delivered');
    expect(await f.eventsFor('payment.refund-failed', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.refunded', orderId)).to.deep.equal([]);
    const authorization = await sandboxAuthorization(f, authorizationId);
    expect(authorization.refundedAmount).to.deep.equal(usd(0));
    expect(authorization.refunds.map((r: Record<string, unknown>) => r.status)).to.deep.equal(['failed']);
    expect((await f.payment(orderId)).body.status).to.equal('refund_failed');
  });

  it('when an order whose capture failed is cancelled, then its authorization is voided and payment.voided is published once', async () => {
    const { orderId } = await f.authorize(CARDS.captureDeclined, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'capture_failed');

    await f.cancelOrder(orderId, 4820);

    await f.paymentReaches(orderId, 'voided');
    expect(await f.eventsFor('payment.voided', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.failed', orderId), 'the failed capture, told before').to.have.length(1);
    expect((await sandboxAuthorization(f, authorization!.id)).status).to.equal('voided');
  });

  it('when an order is cancelled while its capture is on its way to the provider, then the capture that got there is recorded (payment.captured) and refunded, and nothing is voided', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    const release = f.holdCaptures();
    try {
      await f.placeOrder(orderId, 4820);
      await eventually(() => f.providerCalls(authorization!.id).some((c) => c.method === 'capture'), 10_000, 'the capture asked for');
      const cancelled = await f.cancelOrder(orderId, 4820);
      await handled(f, cancelled.id, 'applied');
    } finally {
      release();
    }

    await f.paymentReaches(orderId, 'refunded');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.voided', orderId)).to.deep.equal([]);
    expect(await sandboxAuthorization(f, authorization!.id)).to.deep.include({ status: 'captured', refundedAmount: usd(4820) });
  });

  it("when the order's refund amount differs from what was captured, then what was captured is refunded and a warning names both", async () => {
    const { orderId } = await capturedOrder(f, CARDS.approved, 4820);

    await f.cancelOrder(orderId, 5000);

    await f.paymentReaches(orderId, 'refunded');
    const [refunded] = await f.eventsFor('payment.refunded', orderId);
    expect(refunded!.amount).to.deep.equal(usd(4820));
    const [warning] = f.logged("the cancelled order's refund amount differs from what its payment took; what the payment took is given back").filter((m) => m.orderId === orderId);
    expect(warning).to.deep.include({ refundAmount: usd(5000), paymentAmount: usd(4820) });
  });

  it('when a cancelled order has no payment here, then it is logged and nothing is published, stored or parked', async () => {
    const orderId = randomUUID();

    const cancelled = await f.cancelOrder(orderId, 4820);

    await handled(f, cancelled.id, 'applied');
    expect(f.logged('an order was cancelled without a payment here; nothing to void or refund').map((m) => m.orderId)).to.include(orderId);
    for (const type of SETTLEMENT_EVENTS) expect(await f.eventsFor(type, orderId), type).to.deep.equal([]);
    expect((await f.payment(orderId)).status).to.equal(404);
    expect(await f.parked()).to.equal(0);
  });

  it('when the payment of a cancelled order was declined or voided already, then it is logged, the provider is not asked and nothing is published', async () => {
    const { orderId: declined } = await f.authorize(CARDS.declined, 1999);
    const { orderId: voided } = await f.authorize(CARDS.approved, 4820);
    await f.api.post(`/internal/payments/${voided}/void`);
    const askedBefore = f.providerCalls().length;

    const cancellations = [await f.cancelOrder(declined, 1999), await f.cancelOrder(voided, 4820)];

    for (const cancelled of cancellations) await handled(f, cancelled.id, 'applied');
    const logged = f.logged('an order was cancelled whose payment holds no money; nothing to void or refund');
    expect(logged.find((m) => m.orderId === declined)).to.deep.include({ status: 'failed' });
    expect(logged.find((m) => m.orderId === voided)).to.deep.include({ status: 'voided' });
    for (const orderId of [declined, voided]) for (const type of SETTLEMENT_EVENTS) expect(await f.eventsFor(type, orderId), type).to.deep.equal([]);
    expect(f.providerCalls().slice(askedBefore).filter((c) => c.ref === declined || c.ref === voided)).to.deep.equal([]);
    expect(await f.parked()).to.equal(0);
  });

  it('when order.placed comes after the order was cancelled, then nothing is captured', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.cancelOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'voided');

    const placed = await f.placeOrder(orderId, 4820);

    await eventually(() => f.logged('event handled').find((m) => m.eventId === placed.id), 10_000, 'order.placed handled');
    expect(f.providerCalls(authorization!.id).filter((c) => c.method === 'capture')).to.deep.equal([]);
    expect(await f.eventsFor('payment.failed', orderId)).to.deep.equal([]);
    expect((await f.payment(orderId)).body.status).to.equal('voided');
    expect((await sandboxAuthorization(f, authorization!.id)).status).to.equal('voided');
  });
});

// The sandbox sends no webhook here: a test delivers the capture's itself, later, or the service
// asks the provider once the webhook is overdue (1.5 s after the capture was sent).
describe('payment service: order.cancelled while the provider has not confirmed the capture', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture({ CAPTURE_CONFIRMATION_WAIT_MS: '1500' }, { webhooks: false });
  });
  after(() => f.stop());

  it('when an order is cancelled after its capture was sent, then the confirmation is awaited, the capture recorded (payment.captured) and refunded; the refund webhook later changes nothing', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await eventually(async () => (await findPaymentByOrder(f.service.deps.db, orderId))?.captureSentAt ?? undefined, 10_000, 'the capture sent');

    const cancelled = await f.cancelOrder(orderId, 4820);

    await handled(f, cancelled.id, 'applied');
    expect((await f.payment(orderId)).body).to.deep.include({ status: 'capture_requested' });
    expect(settlementCalls(f, authorization!.id), 'nothing voided or refunded before the capture is confirmed').to.deep.equal([]);
    const capturedEvent = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.captured'), 5_000, 'the stored capture');
    expect((await f.postWebhook(webhookBodyOf(capturedEvent))).status).to.equal(200);

    const payment = await f.paymentReaches(orderId, 'refunded');
    expect(payment.capturedAt).to.be.a('string');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.voided', orderId)).to.deep.equal([]);
    expect(settlementCalls(f, authorization!.id)).to.deep.equal(['refund']);
    expect((await sandboxAuthorization(f, authorization!.id)).refundedAmount).to.deep.equal(usd(4820));
    const refundEvent = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.refunded'), 5_000, 'the stored refund');
    const late = await f.postWebhook(webhookBodyOf(refundEvent));
    expect(late.status).to.equal(200);
    expect(late.body).to.deep.equal({ received: true });
    expect(f.logged('a refund event the shop has recorded already').map((m) => m.eventId)).to.include(refundEvent.id);
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
  });

  it('when an order is cancelled after its capture was sent and no webhook comes, then the provider job confirms the capture by asking and refunds it', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await eventually(async () => (await findPaymentByOrder(f.service.deps.db, orderId))?.captureSentAt ?? undefined, 10_000, 'the capture sent');

    await f.cancelOrder(orderId, 4820);

    await f.paymentReaches(orderId, 'refunded');
    expect(f.logged('an order was cancelled while the provider takes its capture; it is refunded once the capture is confirmed').map((m) => m.orderId)).to.include(orderId);
    expect(f.providerCalls(authorization!.id).map((c) => c.method)).to.deep.equal(['capture', 'statusOf', 'refund']);
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
    expect((await sandboxAuthorization(f, authorization!.id)).refundedAmount).to.deep.equal(usd(4820));
  });
});
