import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, startPaymentFixture, usd, webhookBodyOf, type PaymentFixture } from './payment.fixture';

describe('payment service: a capture whose webhook never comes', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    // The sandbox sends no webhook at all; the service asks the provider after 300 ms.
    f = await startPaymentFixture({ CAPTURE_CONFIRMATION_WAIT_MS: '300' }, { webhooks: false });
  });
  after(() => f.stop());

  it('when the provider captured but its webhook is overdue, then the provider job asks the provider, the payment is captured and payment.captured is published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);

    await f.placeOrder(orderId, 4820);

    const payment = await f.paymentReaches(orderId, 'captured', 10_000);
    expect(payment.capturedAt).to.be.a('string');
    const captured = await f.eventsFor('payment.captured', orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]).to.deep.include({ orderId, authorizationId: authorization!.id, amount: usd(4820) });
    expect(f.providerCalls(authorization!.id).map((c) => c.method)).to.deep.equal(['capture', 'statusOf']);
    expect(f.logged("the provider's capture webhook is overdue; the capture was confirmed by asking").map((m) => m.orderId)).to.include(orderId);
    const [event] = await f.sandboxEvents(authorization!.id);
    expect(event!.delivery.status, 'the webhook was never sent').not.to.equal('delivered');
  });

  it('when the overdue webhook arrives after all, then 200 and payment.captured stays published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);
    const [authorization] = await f.authorizationsFor(orderId);
    await f.placeOrder(orderId, 4820);
    await f.paymentReaches(orderId, 'captured', 10_000);
    const event = await eventually(async () => (await f.sandboxEvents(authorization!.id)).find((e) => e.type === 'payment.captured'), 5_000, 'the stored webhook');

    const response = await f.postWebhook(webhookBodyOf(event));

    expect(response.status).to.equal(200);
    expect((await f.payment(orderId)).body.status).to.equal('captured');
    expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
  });
});
