import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, PROVIDER_API_KEY, startPaymentFixture, usd, webhookBodyOf, type PaymentFixture } from './payment.fixture';

describe('payment service: capture on order.placed, confirmed by the provider webhook', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  /** Waits until the service's consumer has handled this order.placed delivery with this outcome. */
  const handled = (eventId: string, outcome: 'applied' | 'duplicate') =>
    eventually(() => f.logged('event handled').find((m) => m.eventId === eventId && m.outcome === outcome), 10_000, `order.placed ${eventId} ${outcome}`);

  it('when an order is placed, then its authorization is captured, the signed webhook confirms it and payment.captured is published once', async () => {
    const { orderId, response: authorized } = await f.authorize(CARDS.approved, 4820);

    await f.placeOrder(orderId, 4820);

    const captured = await eventually(async () => (await f.eventsFor('payment.captured', orderId)).at(0), 10_000, 'payment.captured');
    const [authorization] = await f.authorizationsFor(orderId);
    expect(captured).to.deep.include({ orderId, paymentId: authorized.body.paymentId, paymentMethod: 'card', amount: usd(4820), authorizationId: authorization!.id });
    expect(authorization!.status).to.equal('captured');
    expect((await f.payment(orderId)).body).to.deep.include({ status: 'captured' });
    const delivered = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.captured' && e.delivery.status === 'delivered'), 5_000, 'the webhook delivered');
    expect(delivered.delivery.attempts).to.equal(1);
    expect(f.providerCalls(authorization!.id).map((c) => c.method), 'confirmed by the webhook, not by asking').to.deep.equal(['capture']);
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
  });

  it('when the same order.placed is delivered again, then the authorization is captured once and payment.captured is published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    const placed = await f.placeOrder(orderId, 4820);

    await f.redeliver(placed);

    await handled(placed.id, 'duplicate');
    await f.paymentReaches(orderId, 'captured');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(f.providerCalls(authorization!.id).filter((c) => c.method === 'capture')).to.have.length(1);
    expect((await f.sandboxEvents(authorization!.id)).filter((e) => e.type === 'payment.captured')).to.have.length(1);
  });

  it('when the same order.placed is delivered again after the capture was confirmed, then nothing more happens', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    const placed = await f.placeOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'captured');

    await f.redeliver(placed);

    await handled(placed.id, 'duplicate');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
    expect(f.providerCalls(authorization!.id).filter((c) => c.method === 'capture')).to.have.length(1);
    expect((await f.payment(orderId)).body.status).to.equal('captured');
  });

  it('when the provider declines the capture (card 4000000000000341), then the payment is capture_failed and payment.failed is published once with reason capture_declined', async () => {
    const { orderId } = await f.authorize(CARDS.captureDeclined, 4820);
    const [authorization] = await f.authorizationsFor(orderId);

    await f.placeOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'capture_failed');
    expect(payment).to.deep.include({ failureReason: 'capture_declined', capturedAt: null });
    const failed = await f.eventsFor('payment.failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ reason: 'capture_declined', authorizationId: authorization!.id, amount: usd(4820) });
    expect(await f.eventsFor('payment.captured', orderId)).to.deep.equal([]);
    expect((await f.authorizationsFor(orderId))[0]!.status).to.equal('capture_failed');
    // The provider's capture_failed webhook comes as well, and changes nothing more.
    await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.capture_failed' && e.delivery.status === 'delivered'), 5_000, 'capture_failed delivered');
    expect(await f.eventsFor('payment.failed', orderId)).to.have.length(1);
  });

  it('when an order is placed that has no payment here, then the consumer logs it and nothing is published, stored or parked', async () => {
    const orderId = randomUUID();

    const placed = await f.placeOrder(orderId, 4820);

    await handled(placed.id, 'applied');
    expect(f.logged('an order was placed without a payment here; nothing to capture').map((m) => m.orderId)).to.include(orderId);
    expect(await f.eventsFor('payment.captured', orderId)).to.deep.equal([]);
    expect(await f.eventsFor('payment.failed', orderId)).to.deep.equal([]);
    expect((await f.payment(orderId)).status).to.equal(404);
    expect(await f.parked()).to.equal(0);
  });

  it('when an order is placed whose payment was voided, then nothing is captured and payment.failed is published with reason payment_voided', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.api.post(`/internal/payments/${orderId}/void`);

    const placed = await f.placeOrder(orderId, 4820);

    await handled(placed.id, 'applied');
    const failed = await f.eventsFor('payment.failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ reason: 'payment_voided', authorizationId: authorization!.id });
    expect(f.providerCalls(authorization!.id).filter((c) => c.method === 'capture')).to.deep.equal([]);
    expect((await f.authorizationsFor(orderId))[0]!.status).to.equal('voided');
    expect(await f.parked()).to.equal(0);
  });

  describe('POST /webhooks/payments: the webhooks the sandbox delivers, again', () => {
    /** An order captured and confirmed by the sandbox's webhook, with that webhook as the sandbox stored it. */
    async function capturedOrder() {
      const { orderId } = await f.authorize(CARDS.approved, 4820);
      const [authorization] = await f.authorizationsFor(orderId);
      await f.placeOrder(orderId, 4820);
      await f.paymentReaches(orderId, 'captured');
      const event = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.captured' && e.delivery.status === 'delivered'), 5_000, 'the webhook delivered');
      return { orderId, authorizationId: authorization!.id, event };
    }

    it('when the webhook the sandbox delivered is posted twice more, then both are 200 duplicates and payment.captured stays published once', async () => {
      const { orderId, event } = await capturedOrder();

      const again = await f.postWebhook(webhookBodyOf(event));
      const andAgain = await f.postWebhook(webhookBodyOf(event));

      expect([again.status, andAgain.status]).to.deep.equal([200, 200]);
      expect(again.body).to.deep.equal({ received: true, duplicate: true });
      expect(andAgain.body).to.deep.equal({ received: true, duplicate: true });
      expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
      expect((await f.payment(orderId)).body.status).to.equal('captured');
    });

    it('when the provider refunds a captured payment, then its payment.refunded webhook is taken (2xx) and changes nothing', async () => {
      const { orderId, authorizationId } = await capturedOrder();

      const refund = await f.provider.post(`/v1/authorizations/${authorizationId}/refunds`, { amount: { amount: 1000, currency: 'USD' } }, { headers: { 'x-api-key': PROVIDER_API_KEY, 'idempotency-key': randomUUID() } });

      expect(refund.status).to.equal(201);
      const delivered = await eventually(async () => (await f.sandboxEvents(authorizationId)).find((e) => e.type === 'payment.refunded' && e.delivery.status === 'delivered'), 5_000, 'payment.refunded delivered');
      expect(delivered.delivery.attempts).to.equal(1);
      expect(f.logged('a provider event the shop does not act on').map((m) => m.eventId)).to.include(delivered.id);
      expect((await f.payment(orderId)).body.status).to.equal('captured');
      expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
      expect(await f.eventsFor('payment.failed', orderId)).to.deep.equal([]);
    });
  });
});
