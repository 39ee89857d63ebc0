import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { PROVIDER_API_KEY, startPaymentFixture, usd, webhookBodyOf, type PaymentFixture, type PaypalOrder } from './payment.fixture';

/** The approval as the sandbox provider shows it (GET /v1/paypal/approvals/:id). */
async function sandboxApproval(f: PaymentFixture, orderId: string): Promise<Record<string, any>> {
  const [approval, ...more] = await f.approvalsFor(orderId);
  expect(more, 'one approval per order').to.deep.equal([]);
  const response = await f.provider.get(`/v1/paypal/approvals/${approval!.id}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
  expect(response.status).to.equal(200);
  return response.body;
}

/** Waits until the sandbox delivered the webhook of this type about an approval's order. */
async function delivered(f: PaymentFixture, authorizationId: string, type: string) {
  return eventually(async () => (await f.sandboxEvents(authorizationId)).find((e) => e.type === type && e.delivery.status === 'delivered'), 10_000, `${type} delivered`);
}

/** Waits until the service's consumer has handled this delivery. */
function handled(f: PaymentFixture, eventId: string) {
  return eventually(() => f.logged('event handled').find((m) => m.eventId === eventId), 10_000, `event ${eventId} handled`);
}

describe('payment service: what the shopper does at PayPal, and what the order does meanwhile', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  /** Approves at the provider's page as the shopper would, and waits for the provider's webhook to capture it. */
  async function approved(order: PaypalOrder) {
    const answer = await f.page('POST', `${order.redirectUrl}/approve`);
    expect(answer.status).to.equal(303);
    return f.paymentReaches(order.orderId, 'captured');
  }

  it("when the shopper approves at the provider's page, then 303 to the returnUrl, the signed webhook captures the payment and payment.captured is published once", async () => {
    const order = await f.paypalOrder(4820);

    const answer = await f.page('POST', `${order.redirectUrl}/approve`);

    expect(answer.status).to.equal(303);
    expect(answer.location).to.equal(order.returnUrl);
    const payment = await f.paymentReaches(order.orderId, 'captured');
    expect(payment).to.deep.include({ paymentId: order.paymentId, method: 'paypal', amount: usd(4820), brand: 'paypal' });
    expect(payment.capturedAt).to.be.a('string');
    const approval = await sandboxApproval(f, order.orderId);
    expect(approval).to.deep.include({ status: 'approved' });
    const captured = await f.eventsFor('payment.captured', order.orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]).to.deep.include({ paymentId: order.paymentId, orderId: order.orderId, customerId: order.customerId, amount: usd(4820), authorizationId: approval.authorizationId, paymentMethod: 'paypal' });
    expect(f.providerCalls(approval.authorizationId), 'nothing asked of the provider about the capture').to.deep.equal([]);
  });

  it('when the shopper approves again and the webhook comes again, then 303 again and nothing new: payment.captured stays one', async () => {
    const order = await f.paypalOrder(1999);
    await approved(order);
    const { authorizationId } = await sandboxApproval(f, order.orderId);
    const webhook = await delivered(f, authorizationId, 'payment.captured');

    const again = await f.page('POST', `${order.redirectUrl}/approve`);
    const replay = await f.postWebhook(webhookBodyOf(webhook));

    expect(again.status).to.equal(303);
    expect(again.location).to.equal(order.returnUrl);
    expect(replay.body).to.deep.equal({ received: true, duplicate: true });
    expect(await f.eventsFor('payment.captured', order.orderId)).to.have.length(1);
    expect((await f.sandboxEvents(authorizationId)).filter((e) => e.type === 'payment.captured')).to.have.length(1);
  });

  it('when the payment was approved, then POST /payments/paypal is 409 CONFLICT', async () => {
    const order = await f.paypalOrder(2500);
    await approved(order);

    const response = await f.requestApproval(order.orderId, order.token);

    expect(response.status).to.equal(409);
    expect(response.body.error.code).to.equal('CONFLICT');
  });

  it("when the shopper cancels at the provider's page, then 303 to the cancelUrl, the payment fails (approval_cancelled) and payment.failed is published once; cancelling again changes nothing", async () => {
    const order = await f.paypalOrder(4820);

    const answer = await f.page('POST', `${order.redirectUrl}/cancel`);

    expect(answer.status).to.equal(303);
    expect(answer.location).to.equal(order.cancelUrl);
    const payment = await f.paymentReaches(order.orderId, 'failed');
    expect(payment.failureReason).to.equal('approval_cancelled');
    const failed = await f.eventsFor('payment.failed', order.orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ paymentId: order.paymentId, orderId: order.orderId, amount: usd(4820), paymentMethod: 'paypal', reason: 'approval_cancelled' });
    expect(failed[0]).not.to.have.property('authorizationId');
    expect(await sandboxApproval(f, order.orderId)).to.deep.include({ status: 'cancelled', cancelledBy: 'shopper', authorizationId: null });

    const again = await f.page('POST', `${order.redirectUrl}/cancel`);
    const approve = await f.page('POST', `${order.redirectUrl}/approve`);

    expect(again).to.deep.include({ status: 303, location: order.cancelUrl });
    expect(approve.status, 'a cancelled payment cannot be approved').to.equal(409);
    expect(await f.eventsFor('payment.failed', order.orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.captured', order.orderId)).to.deep.equal([]);
    expect((await f.requestApproval(order.orderId, order.token)).status).to.equal(409);
  });

  it("when the provider's approval_cancelled webhook comes again, then 200 and it changes nothing", async () => {
    const order = await f.paypalOrder(1500);
    await f.page('POST', `${order.redirectUrl}/cancel`);
    await f.paymentReaches(order.orderId, 'failed');
    const approval = await sandboxApproval(f, order.orderId);
    const stored = await eventually(async () => {
      const response = await f.provider.get(`/v1/events?approvalId=${approval.id}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
      return response.body.data.find((e: Record<string, any>) => e.type === 'payment.approval_cancelled' && e.delivery.status === 'delivered');
    }, 10_000, 'approval_cancelled delivered');
    expect(stored.data).not.to.have.property('authorizationId');

    const replay = await f.postWebhook(webhookBodyOf(stored));

    expect(replay.status).to.equal(200);
    expect(replay.body).to.deep.equal({ received: true, duplicate: true });
    expect(await f.eventsFor('payment.failed', order.orderId)).to.have.length(1);
  });

  it('when an approval_cancelled event names an approval the shop does not know, then 200, it is logged for review and nothing is published', async () => {
    const id = `evt_test_${randomBytes(8).toString('hex')}`;

    const response = await f.postWebhook({ id, type: 'payment.approval_cancelled', created: Math.floor(Date.now() / 1000), data: { approvalId: `pp_unknown_${id}`, reference: 'not-an-order', amount: usd(100) } });

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ received: true });
    expect(f.logged('a provider event about a PayPal approval the shop does not know; recorded for review').map((m) => m.eventId)).to.include(id);
  });

  it('when the capture names an approval the shop did not get to store (its answer was lost), then the payment is found by its reference (the order) and captured once', async () => {
    const { orderId } = await f.authorizePaypal(2100);
    const made = await f.provider.post(
      '/v1/paypal/approvals',
      { amount: usd(2100), reference: orderId, returnUrl: 'http://localhost:8080/r', cancelUrl: 'http://localhost:8080/c' },
      { headers: { 'x-api-key': PROVIDER_API_KEY, 'idempotency-key': `lost-${orderId}` } },
    );
    expect(made.status).to.equal(201);

    await f.page('POST', `${made.body.approvalUrl}/approve`);

    await f.paymentReaches(orderId, 'captured');
    const captured = await f.eventsFor('payment.captured', orderId);
    expect(captured).to.have.length(1);
    expect(captured[0]!.authorizationId).to.equal((await sandboxApproval(f, orderId)).authorizationId);
  });

  it('when a signed event names neither an authorization nor an approval, then 400 VALIDATION_ERROR', async () => {
    const response = await f.postWebhook({ id: `evt_test_${randomBytes(8).toString('hex')}`, type: 'payment.approval_cancelled', created: Math.floor(Date.now() / 1000), data: { reference: 'x' } });

    expect(response.status).to.equal(400);
    expect(response.body.error.code).to.equal('VALIDATION_ERROR');
  });

  it('when order.placed comes for a PayPal payment, then nothing is captured: the payment awaits the shopper, whose approval captures it once', async () => {
    const order = await f.paypalOrder(4820);

    const placed = await f.placeOrder(order.orderId, 4820);

    await handled(f, placed.id);
    expect((await f.payment(order.orderId)).body.status).to.equal('awaiting_approval');
    expect(f.providerCalls().filter((c) => c.method === 'capture' && c.ref === order.orderId)).to.deep.equal([]);
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
    await approved(order);
    const { authorizationId } = await sandboxApproval(f, order.orderId);
    expect(f.providerCalls(authorizationId)).to.deep.equal([]);
    expect(await f.eventsFor('payment.captured', order.orderId)).to.have.length(1);
  });

  it('when an order awaiting approval is cancelled, then its approval is withdrawn at the provider, the payment voided and payment.voided published once; the page then refuses to approve', async () => {
    const order = await f.paypalOrder(4820);

    const cancelled = await f.cancelOrder(order.orderId, 4820);

    const payment = await f.paymentReaches(order.orderId, 'voided');
    expect(payment.cancelRequestedAt).to.be.a('string');
    const approval = await sandboxApproval(f, order.orderId);
    expect(approval).to.deep.include({ status: 'cancelled', cancelledBy: 'merchant' });
    const voided = await f.eventsFor('payment.voided', order.orderId);
    expect(voided).to.have.length(1);
    expect(voided[0]).to.deep.include({ paymentId: order.paymentId, orderId: order.orderId, amount: usd(4820), paymentMethod: 'paypal' });
    expect(voided[0]).not.to.have.property('authorizationId');
    expect(f.providerCalls(approval.id).map((c) => c.method)).to.deep.equal(['withdrawApproval']);
    const approve = await f.page('POST', `${order.redirectUrl}/approve`);
    expect(approve.status).to.equal(409);
    await f.redeliver(cancelled);
    await eventually(() => f.logged('event handled').find((m) => m.eventId === cancelled.id && m.outcome === 'duplicate'), 10_000, 'redelivery handled');
    expect(await f.eventsFor('payment.voided', order.orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.failed', order.orderId)).to.deep.equal([]);
  });

  it('when an order whose shopper never went to PayPal is cancelled, then the payment is voided (payment.voided once) without asking the provider', async () => {
    const { orderId, response } = await f.authorizePaypal(1800);

    await f.cancelOrder(orderId, 1800);

    await f.paymentReaches(orderId, 'voided');
    expect(await f.eventsFor('payment.voided', orderId)).to.have.length(1);
    expect((await f.eventsFor('payment.voided', orderId))[0]).to.deep.include({ paymentId: response.body.paymentId, paymentMethod: 'paypal' });
    expect(f.providerCalls(orderId)).to.deep.equal([]);
  });

  it('when an approved PayPal order is cancelled, then what the approval captured is refunded at the provider and payment.refunded published once', async () => {
    const order = await f.paypalOrder(4820);
    await approved(order);
    const { authorizationId } = await sandboxApproval(f, order.orderId);

    await f.cancelOrder(order.orderId, 4820);

    const payment = await f.paymentReaches(order.orderId, 'refunded');
    expect(payment.refundId).to.match(/^re_/);
    const refunded = await f.eventsFor('payment.refunded', order.orderId);
    expect(refunded).to.have.length(1);
    expect(refunded[0]).to.deep.include({ orderId: order.orderId, amount: usd(4820), authorizationId, paymentMethod: 'paypal' });
    const authorization = await f.provider.get(`/v1/authorizations/${authorizationId}`, { headers: { 'x-api-key': PROVIDER_API_KEY } });
    expect(authorization.body).to.deep.include({ status: 'captured', brand: 'paypal', refundedAmount: usd(4820) });
    expect(await f.eventsFor('payment.voided', order.orderId)).to.deep.equal([]);
  });
});
