import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { PROVIDER_API_KEY, startPaymentFixture, usd, webhookBodyOf, type PaymentFixture } from './payment.fixture';

/** How long a PayPal payment may await approval here, and how long an approval's capture webhook. */
const TTL_MS = 1_000;
const CAPTURE_WAIT_MS = 2_500;

async function onlyApproval(f: PaymentFixture, orderId: string): Promise<Record<string, any>> {
  const approvals = await f.approvalsFor(orderId);
  expect(approvals).to.have.length(1);
  const response = await f.provider.get(`/v1/paypal/approvals/${approvals[0]!.id}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
  return response.body;
}

describe('payment service: a PayPal payment nobody approves in time', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture({ PAYPAL_APPROVAL_TTL_MS: String(TTL_MS) });
  });
  after(() => f.stop());

  it('when PAYPAL_APPROVAL_TTL_MS passes, then the approval is withdrawn at the provider, the payment fails (approval_expired) and payment.failed is published once; a later approval is refused', async () => {
    const order = await f.paypalOrder(4820);

    const payment = await f.paymentReaches(order.orderId, 'failed', TTL_MS + 5_000);

    expect(payment.failureReason).to.equal('approval_expired');
    const approval = await onlyApproval(f, order.orderId);
    expect(approval).to.deep.include({ status: 'cancelled', cancelledBy: 'merchant', authorizationId: null });
    const failed = await f.eventsFor('payment.failed', order.orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ paymentId: order.paymentId, amount: usd(4820), paymentMethod: 'paypal', reason: 'approval_expired' });
    const page = await f.page('GET', order.redirectUrl);
    expect(page.text).to.include('The merchant withdrew this payment.');
    const approve = await f.page('POST', `${order.redirectUrl}/approve`);
    expect(approve.status).to.equal(409);
    expect(approve.text).to.include('withdrew');
    expect((await onlyApproval(f, order.orderId)).status).to.equal('cancelled');
    expect(await f.eventsFor('payment.captured', order.orderId)).to.deep.equal([]);
    expect((await f.requestApproval(order.orderId, order.token)).status).to.equal(409);
    expect(await f.eventsFor('payment.failed', order.orderId)).to.have.length(1);
  });

  it('when the shopper was never sent to PayPal, then the payment fails (approval_expired) in time without asking the provider', async () => {
    const { orderId } = await f.authorizePaypal(1200);

    const payment = await f.paymentReaches(orderId, 'failed', TTL_MS + 5_000);

    expect(payment.failureReason).to.equal('approval_expired');
    expect(f.providerCalls(orderId)).to.deep.equal([]);
    expect(await f.eventsFor('payment.failed', orderId)).to.have.length(1);
  });

  it('when the shopper approved before the time ran out, then the payment is captured and never expires', async () => {
    const order = await f.paypalOrder(2000);
    await f.page('POST', `${order.redirectUrl}/approve`);
    await f.paymentReaches(order.orderId, 'captured');

    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 400));

    expect((await f.payment(order.orderId)).body.status).to.equal('captured');
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
    expect((await onlyApproval(f, order.orderId)).status).to.equal('approved');
  });
});

// The sandbox stores its webhooks and sends none: the capture of an approval given just as the
// time ran out has not reached the service when the provider job tries to withdraw it.
describe('payment service: a PayPal payment approved as its time runs out', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture({ PAYPAL_APPROVAL_TTL_MS: String(TTL_MS), CAPTURE_CONFIRMATION_WAIT_MS: String(CAPTURE_WAIT_MS) }, { webhooks: false });
  });
  after(() => f.stop());

  it('when the provider says the approval was given, then the payment does not fail but awaits the capture webhook, and is captured (payment.captured once) when it comes', async () => {
    const order = await f.paypalOrder(4820);
    await f.page('POST', `${order.redirectUrl}/approve`);

    await eventually(() => f.logged('a PayPal payment was approved as its time ran out; its capture webhook is awaited').find((m) => m.orderId === order.orderId), TTL_MS + 5_000, 'the withdrawal refused');

    expect((await f.payment(order.orderId)).body.status).to.equal('awaiting_approval');
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
    const { authorizationId } = await onlyApproval(f, order.orderId);
    const [capturedEvent] = (await f.sandboxEvents(authorizationId)).filter((e) => e.type === 'payment.captured');
    expect((await f.postWebhook(webhookBodyOf(capturedEvent!))).status).to.equal(200);
    await f.paymentReaches(order.orderId, 'captured');
    const captured = await f.eventsFor('payment.captured', order.orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]).to.deep.include({ authorizationId, paymentMethod: 'paypal' });
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
  });

  it('when the capture webhook of an approval given as the time ran out never comes, then the provider job takes the payment as captured (payment.captured once); the late webhook changes nothing', async () => {
    const order = await f.paypalOrder(3300);
    await f.page('POST', `${order.redirectUrl}/approve`);

    const payment = await f.paymentReaches(order.orderId, 'captured', TTL_MS + CAPTURE_WAIT_MS + 5_000);

    expect(payment.brand).to.equal('paypal');
    expect(f.logged("the provider's capture webhook of an approved PayPal payment is overdue; the capture was confirmed by asking").map((m) => m.orderId)).to.include(order.orderId);
    const { authorizationId } = await onlyApproval(f, order.orderId);
    const [capturedEvent] = (await f.sandboxEvents(authorizationId)).filter((e) => e.type === 'payment.captured');
    const late = await f.postWebhook(webhookBodyOf(capturedEvent!));
    expect(late.body).to.deep.equal({ received: true });
    const captured = await f.eventsFor('payment.captured', order.orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]).to.deep.include({ authorizationId, paymentMethod: 'paypal' });
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
  });
});
