import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, PROVIDER_API_KEY, startPaymentFixture, usd, type PaymentFixture } from './payment.fixture';

async function sandboxAuthorization(f: PaymentFixture, authorizationId: string): Promise<Record<string, any>> {
  const response = await f.provider.get(`/v1/authorizations/${encodeURIComponent(authorizationId)}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
  expect(response.status).to.equal(200);
  return response.body;
}

// A service of its own, reaching the provider through a line the tests cut or slow down: the
// circuit breaker these faults may open stands in no other test's way.
describe('payment service: a cancelled order while the provider is unreachable or slow', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture({}, { providerProxy: true });
  });
  afterEach(() => {
    f.providerLine!.restore();
    f.providerLine!.delayAnswers(0);
  });
  after(() => f.stop());

  it('when an order is cancelled while its capture is recorded but has not reached the provider, then no capture is ever sent: the authorization is voided and payment.voided published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    f.providerLine!.cut();
    await f.placeOrder(orderId, 4820);
    await eventually(() => f.providerCalls(authorization!.id).some((c) => c.method === 'capture'), 10_000, 'a capture tried');

    const cancelled = await f.cancelOrder(orderId, 4820);
    await eventually(() => f.logged('event handled').find((m) => m.eventId === cancelled.id), 10_000, 'order.cancelled handled');
    f.providerLine!.restore();

    await f.paymentReaches(orderId, 'voided', 10_000);
    expect(await f.eventsFor('payment.voided', orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.captured', orderId)).to.deep.equal([]);
    expect(await sandboxAuthorization(f, authorization!.id)).to.deep.include({ status: 'voided', capturedAmount: null });
    expect((await f.sandboxEvents(authorization!.id)).map((e) => e.type)).to.deep.equal([]);
  });

  it('when the provider cannot be reached as the refund is asked for, then the refund is tried again until it can, and payment.refunded is published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'captured');
    f.providerLine!.cut();

    await f.cancelOrder(orderId, 4820);
    await eventually(() => f.providerCalls(authorization!.id).filter((c) => c.method === 'refund').length >= 2, 10_000, 'a refund tried twice');
    expect((await f.payment(orderId)).body.status).to.equal('refunding');
    f.providerLine!.restore();

    await f.paymentReaches(orderId, 'refunded', 10_000);
    expect(await f.eventsFor('payment.refunded', orderId)).to.have.length(1);
    const refunded = await sandboxAuthorization(f, authorization!.id);
    expect(refunded.refundedAmount).to.deep.equal(usd(4820));
    expect(refunded.refunds, 'one refund, whatever the retries').to.have.length(1);
  });

  it("when the provider's refund webhook comes before its answer to the refund, then the webhook settles the payment and payment.refunded is published once", async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'captured');
    // Under PROVIDER_TIMEOUT_MS (1.5 s): the answer comes, late; the webhook goes to the service directly.
    f.providerLine!.delayAnswers(1_000);

    await f.cancelOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'refunded', 10_000);
    await eventually(
      () => f.logged("the provider's webhook told the refund's outcome before its answer came").find((m) => m.orderId === orderId),
      10_000,
      "the refund's late answer",
    );
    const refunded = await f.eventsFor('payment.refunded', orderId);
    expect(refunded).to.have.length(1);
    expect(refunded[0]!.refundId).to.equal(payment.refundId);
    expect((await sandboxAuthorization(f, authorization!.id)).refunds).to.have.length(1);
  });
});
