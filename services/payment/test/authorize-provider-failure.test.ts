import { expect } from 'chai';
import { freePort } from '@shop/testkit';
import { CARDS, startPaymentFixture, type PaymentFixture } from './payment.fixture';

describe('payment service: POST /internal/payments/authorizations when the provider cannot be reached', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    // A closed port; a shorter retry window than the default keeps the suite quick.
    f = await startPaymentFixture({ PAYMENT_PROVIDER_URL: `http://127.0.0.1:${await freePort()}`, AUTHORIZE_RETRY_WINDOW_MS: '800' });
  });
  after(() => f.stop());

  it('when the provider refuses connections, then the authorization is retried, then 402 PAYMENT_FAILED provider_error and payment.failed is published', async () => {
    const startedAt = Date.now();

    const { orderId, response } = await f.authorize(CARDS.approved, 4820);

    const tookMs = Date.now() - startedAt;
    expect(response.status).to.equal(402);
    expect(response.body.error).to.deep.include({ code: 'PAYMENT_FAILED' });
    expect(response.body.error.details).to.deep.include({ reason: 'provider_error', orderId });
    expect(tookMs, 'retried within the window').to.be.within(300, 2_000);
    expect(f.providerCalls(orderId).filter((c) => c.method === 'authorize').length).to.be.at.least(3);
    const failed = await f.eventsFor('payment.failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ reason: 'provider_error' });
    expect(failed[0]).not.to.have.property('authorizationId');
    expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
  });

  it('when an order that failed with provider_error is authorized again, then the same 402 PAYMENT_FAILED at once, without asking the provider again', async () => {
    const { orderId, response: first } = await f.authorize(CARDS.approved, 1234);
    const askedBefore = f.providerCalls(orderId).length;
    const startedAt = Date.now();

    const { response: again } = await f.authorize(CARDS.approved, 1234, orderId);

    expect(Date.now() - startedAt).to.be.below(300);
    expect(again.status).to.equal(402);
    expect(again.body).to.deep.equal(first.body);
    expect(again.body.error.details.reason).to.equal('provider_error');
    expect(f.providerCalls(orderId)).to.have.length(askedBefore);
    expect(await f.eventsFor('payment.failed', orderId)).to.have.length(1);
  });

  it('when a payment that failed because the provider was unreachable is voided, then 200 voiding: the void waits for the provider to tell what it holds', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);

    const response = await f.api.post(`/internal/payments/${orderId}/void`);

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.include({ orderId, status: 'voiding' });
    expect(f.providerCalls(orderId).map((c) => c.method)).to.include('authorizationsFor');
    expect((await f.payment(orderId)).body.status).to.equal('voiding');
  });
});
