import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually, type TestResponse } from '@shop/testkit';
import { CARDS, startPaymentFixture, usd, type PaymentFixture } from './payment.fixture';

describe('payment service: voiding and reading a payment', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  describe('POST /internal/payments/:orderId/void', () => {
    it('when an authorized payment is voided, then 200 voided and the provider shows the authorization voided', async () => {
      const { orderId, response: authorized } = await f.authorize(CARDS.approved, 4820);

      const response = await f.api.post(`/internal/payments/${orderId}/void`);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ paymentId: authorized.body.paymentId, orderId, status: 'voided', amount: usd(4820) });
      expect(response.body.voidedAt).to.be.a('string');
      const [authorization, ...others] = await f.authorizationsFor(orderId);
      expect(others).to.deep.equal([]);
      expect(authorization!.status).to.equal('voided');
      expect((await f.payment(orderId)).body.status).to.equal('voided');
    });

    it('when a payment is voided twice, then 200 with the same answer both times, and the second void asks the provider nothing', async () => {
      const { orderId } = await f.authorize(CARDS.approved, 4820);
      const [authorization] = await f.authorizationsFor(orderId);
      const first = await f.api.post(`/internal/payments/${orderId}/void`);
      const askedBefore = f.providerCalls(authorization!.id).length + f.providerCalls(orderId).length;

      const second = await f.api.post(`/internal/payments/${orderId}/void`);

      expect(second.status).to.equal(200);
      expect(second.body).to.deep.equal(first.body);
      expect(second.body.status).to.equal('voided');
      expect(f.providerCalls(authorization!.id).length + f.providerCalls(orderId).length).to.equal(askedBefore);
      expect((await f.authorizationsFor(orderId)).map((a) => a.status)).to.deep.equal(['voided']);
    });

    it('when an order with no payment is voided, then 200 voided, and a later authorization of that order is 409 CONFLICT with nothing authorized at the provider', async () => {
      const orderId = randomUUID();

      const voided = await f.api.post(`/internal/payments/${orderId}/void`);
      const { response: late } = await f.authorize(CARDS.approved, 4820, orderId);

      expect(voided.status).to.equal(200);
      expect(voided.body).to.deep.include({ orderId, status: 'voided', amount: null });
      expect(late.status).to.equal(409);
      expect(late.body.error).to.deep.include({ code: 'CONFLICT' });
      expect(await f.authorizationsFor(orderId)).to.deep.equal([]);
      expect(f.providerCalls(orderId).filter((c) => c.method === 'authorize')).to.deep.equal([]);
      expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
      expect((await f.payment(orderId)).body.status).to.equal('voided');
    });

    it('when a declined payment is voided, then 200 voided without asking the provider', async () => {
      const { orderId } = await f.authorize(CARDS.declined, 1999);
      const askedBefore = f.providerCalls(orderId).length;

      const response = await f.api.post(`/internal/payments/${orderId}/void`);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ orderId, status: 'voided', failureReason: 'card_declined' });
      expect(f.providerCalls(orderId)).to.have.length(askedBefore);
      expect((await f.authorizationsFor(orderId)).map((a) => a.status)).to.deep.equal(['declined']);
    });

    it('when a payment that failed with provider_error is voided, then 200 voided once the provider was asked what it holds for the order', async () => {
      const { orderId, response: failed } = await f.authorize(CARDS.providerError, 1234);
      expect(failed.body.error.details.reason).to.equal('provider_error');

      const response = await f.api.post(`/internal/payments/${orderId}/void`);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ orderId, status: 'voided' });
      expect(f.providerCalls(orderId).map((c) => c.method)).to.include('authorizationsFor');
      expect(await f.authorizationsFor(orderId)).to.deep.equal([]);
      expect((await f.payment(orderId)).body.status).to.equal('voided');
    });

    it('when a captured payment is voided, then 409 CONFLICT and it stays captured', async () => {
      const { orderId } = await f.authorize(CARDS.approved, 4820);
      await f.placeOrder(orderId, 4820);
      await f.paymentReaches(orderId, 'captured');

      const response = await f.api.post(`/internal/payments/${orderId}/void`);

      expect(response.status).to.equal(409);
      expect(response.body.error).to.deep.include({ code: 'CONFLICT' });
      expect((await f.payment(orderId)).body.status).to.equal('captured');
      expect((await f.authorizationsFor(orderId)).map((a) => a.status)).to.deep.equal(['captured']);
    });

    it('when an order is voided while its authorization is still on its way to the provider, then 200 voided, the authorization is answered 409 CONFLICT and voided at the provider once it exists', async () => {
      const orderId = randomUUID();
      const release = f.holdAuthorizations();
      let authorizing: ReturnType<PaymentFixture['authorize']> | undefined;
      let voided: TestResponse | undefined;
      try {
        authorizing = f.authorize(CARDS.approved, 4820, orderId);
        await f.paymentReaches(orderId, 'authorizing');

        voided = await f.api.post(`/internal/payments/${orderId}/void`);
      } finally {
        release();
      }
      const { response: late } = await authorizing!;

      expect(voided!.status).to.equal(200);
      expect(voided!.body.status).to.equal('voided');
      expect(late.status).to.equal(409);
      expect(late.body.error.code).to.equal('CONFLICT');
      // The job voids at the provider first, then records it: wait for both.
      const [authorization] = await eventually(async () => {
        const found = await f.authorizationsFor(orderId);
        const recorded = (await f.payment(orderId)).body.status === 'voided';
        return found[0]?.status === 'voided' && recorded && found;
      }, 10_000, 'the late authorization voided at the provider and recorded voided');
      expect(f.providerCalls(authorization!.id).filter((c) => c.method === 'void')).to.have.length(1);
      expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
    });

    it('when the orderId is not a UUID, then 400 VALIDATION_ERROR naming orderId', async () => {
      const response = await f.api.post('/internal/payments/order-1/void');

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      expect(response.body.error.details.fields[0]).to.deep.include({ location: 'params', field: 'orderId' });
    });
  });

  describe('GET /internal/payments/:orderId', () => {
    it('when the order has no payment, then 404 PAYMENT_NOT_FOUND', async () => {
      const response = await f.payment(randomUUID());

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PAYMENT_NOT_FOUND');
    });

    it('when the orderId is not a UUID, then 400 VALIDATION_ERROR naming orderId', async () => {
      const response = await f.api.get('/internal/payments/not-a-uuid');

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      expect(response.body.error.details.fields[0]).to.deep.include({ location: 'params', field: 'orderId' });
    });

    it('when the payment is authorized, then 200 with its status, amount, brand and last four and nothing more of the card', async () => {
      const { orderId } = await f.authorize(CARDS.approved, 4820);

      const response = await f.payment(orderId);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ orderId, method: 'card', status: 'authorized', amount: usd(4820), brand: 'visa', last4: '4242' });
      expect(Object.keys(response.body).sort()).to.deep.equal(['amount', 'authorizedAt', 'brand', 'capturedAt', 'last4', 'method', 'orderId', 'paymentId', 'status', 'voidedAt']);
      expect(JSON.stringify(response.body)).not.to.include(CARDS.approved);
    });
  });
});
