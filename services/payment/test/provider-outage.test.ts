import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, startPaymentFixture, type PaymentFixture } from './payment.fixture';

// Every test here makes the provider fail a few times: each group has a service of its own, so the
// circuit breaker one group may open does not stand in another's way.
describe('payment service: when the provider is briefly unreachable or slow', function () {
  this.timeout(30_000);

  describe('the line to the provider is cut for a moment', () => {
    let f: PaymentFixture;
    before(async () => {
      f = await startPaymentFixture({}, { providerProxy: true });
    });
    afterEach(() => f.providerLine!.restore());
    after(() => f.stop());

    it('when the provider cannot be reached as the capture is asked for, then the capture is tried again until it can, and payment.captured is published once', async () => {
      const { orderId } = await f.authorize(CARDS.approved, 4820);
      const [authorization] = await f.authorizationsFor(orderId);
      f.providerLine!.cut();

      await f.placeOrder(orderId, 4820);
      await eventually(() => f.providerCalls(authorization!.id).filter((c) => c.method === 'capture').length >= 2, 10_000, 'a capture tried twice');
      f.providerLine!.restore();

      await f.paymentReaches(orderId, 'captured', 10_000);
      expect(await f.eventsFor('payment.captured', orderId)).to.have.length(1);
      expect((await f.authorizationsFor(orderId))[0]!.status).to.equal('captured');
    });

    it('when the provider cannot be reached as a payment is voided, then 200 voiding, and the void is finished at the provider once it can be reached', async () => {
      const { orderId } = await f.authorize(CARDS.approved, 4820);
      f.providerLine!.cut();

      const response = await f.api.post(`/internal/payments/${orderId}/void`);
      f.providerLine!.restore();

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ orderId, status: 'voiding' });
      await f.paymentReaches(orderId, 'voided', 10_000);
      expect((await f.authorizationsFor(orderId))[0]!.status).to.equal('voided');
    });
  });

  describe("the provider's answers come too late", () => {
    const PROVIDER_TIMEOUT_MS = 250;
    let f: PaymentFixture;
    before(async () => {
      f = await startPaymentFixture({ PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS), AUTHORIZE_RETRY_WINDOW_MS: '600' }, { providerProxy: true });
    });
    afterEach(() => f.providerLine!.delayAnswers(0));
    after(() => f.stop());

    it("when an order is voided before its authorization reached the provider, and the provider's answers to that authorization come too late, then 409 CONFLICT and what the provider authorized is voided all the same", async () => {
      const orderId = randomUUID();
      const release = f.holdAuthorizations();
      let authorizing: ReturnType<PaymentFixture['authorize']> | undefined;
      try {
        authorizing = f.authorize(CARDS.approved, 4820, orderId);
        await f.paymentReaches(orderId, 'authorizing');
        const voided = await f.api.post(`/internal/payments/${orderId}/void`);
        expect(voided.body.status, 'nothing at the provider to void yet').to.equal('voided');
        f.providerLine!.delayAnswers(PROVIDER_TIMEOUT_MS * 2);
      } finally {
        release();
      }

      const { response } = await authorizing!;
      f.providerLine!.delayAnswers(0);

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect(await f.authorizationsFor(orderId), 'the provider made the authorization whose answers were lost').to.have.length(1);
      await eventually(async () => (await f.authorizationsFor(orderId))[0]?.status === 'voided', 10_000, 'the authorization voided at the provider');
      await f.paymentReaches(orderId, 'voided');
      expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
    });
  });
});
