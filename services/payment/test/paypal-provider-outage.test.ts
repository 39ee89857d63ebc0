import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { startPaymentFixture, type PaymentFixture } from './payment.fixture';

// Each group has a service of its own, so the circuit breaker one group may open does not stand in another's way.
describe('payment service: PayPal while the provider is unreachable or slow', function () {
  this.timeout(30_000);

  describe('POST /payments/paypal', () => {
    const PROVIDER_TIMEOUT_MS = 250;
    let f: PaymentFixture;
    before(async () => {
      f = await startPaymentFixture({ PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) }, { providerProxy: true });
    });
    afterEach(() => {
      f.providerLine!.restore();
      f.providerLine!.delayAnswers(0);
    });
    after(() => f.stop());

    it('when the provider cannot be reached, then 502 PAYMENT_PROVIDER_ERROR named in X-Error-Code, the payment still awaits approval, and asking again once it can be reached gives the redirectUrl', async () => {
      const { orderId, customerId } = await f.authorizePaypal(4820);
      const token = await f.issuer.token({ customerId });
      f.providerLine!.cut();

      const response = await f.requestApproval(orderId, token);

      expect(response.status).to.equal(502);
      expect(response.headers.get('x-error-code')).to.equal('PAYMENT_PROVIDER_ERROR');
      expect(response.body.error).to.deep.include({ code: 'PAYMENT_PROVIDER_ERROR', details: {} });
      expect(response.body.error.message).not.to.match(/127\.0\.0\.1|ECONN|socket/i);
      expect((await f.payment(orderId)).body.status).to.equal('awaiting_approval');
      f.providerLine!.restore();
      const again = await f.requestApproval(orderId, token);
      expect(again.status).to.equal(200);
      expect(again.body.redirectUrl).to.match(/\/paypal\/pp_/);
      expect(await f.approvalsFor(orderId)).to.have.length(1);
    });

    it("when the provider's answer comes too late, then 502 PAYMENT_PROVIDER_ERROR; asked again, the approval the provider made then is the answer, and it holds only that one", async () => {
      const { orderId, customerId } = await f.authorizePaypal(2500);
      const token = await f.issuer.token({ customerId });
      f.providerLine!.delayAnswers(PROVIDER_TIMEOUT_MS * 2);

      const response = await f.requestApproval(orderId, token);

      expect(response.status).to.equal(502);
      expect(response.body.error.code).to.equal('PAYMENT_PROVIDER_ERROR');
      f.providerLine!.delayAnswers(0);
      const made = await eventually(async () => (await f.approvalsFor(orderId))[0], 5_000, 'the approval the provider made');
      const again = await f.requestApproval(orderId, token);
      expect(again.status).to.equal(200);
      expect(again.body.redirectUrl).to.equal(made.approvalUrl);
      expect(await f.approvalsFor(orderId)).to.have.length(1);
    });

    it('when the answer came too late and the customer comes back with other pages, then the approval the provider made then is the answer, found by the order, and no second one is made', async () => {
      const { orderId, customerId } = await f.authorizePaypal(2700);
      const token = await f.issuer.token({ customerId });
      f.providerLine!.delayAnswers(PROVIDER_TIMEOUT_MS * 2);
      expect((await f.requestApproval(orderId, token)).status).to.equal(502);
      f.providerLine!.delayAnswers(0);
      const made = await eventually(async () => (await f.approvalsFor(orderId))[0], 5_000, 'the approval the provider made');

      const again = await f.requestApproval(orderId, token, { returnUrl: `http://127.0.0.1:8080/checkout/paypal/return?order=${orderId}` });

      expect(again.status).to.equal(200);
      expect(again.body.redirectUrl).to.equal(made.approvalUrl);
      expect(await f.approvalsFor(orderId)).to.have.length(1);
      expect(f.providerCalls(orderId).map((c) => c.method)).to.deep.equal(['createApproval', 'createApproval', 'approvalsFor']);
    });
  });

  describe('an approval that expires while the provider cannot be reached', () => {
    const TTL_MS = 1_000;
    let f: PaymentFixture;
    before(async () => {
      f = await startPaymentFixture({ PAYPAL_APPROVAL_TTL_MS: String(TTL_MS) }, { providerProxy: true });
    });
    afterEach(() => f.providerLine!.restore());
    after(() => f.stop());

    it('when the approval cannot be withdrawn, then the payment still awaits approval (it could be approved) and fails (approval_expired) once the withdrawal went through', async () => {
      const order = await f.paypalOrder(4820);
      const [approval] = await f.approvalsFor(order.orderId);
      f.providerLine!.cut();

      await eventually(() => f.providerCalls(approval!.id).filter((c) => c.method === 'withdrawApproval').length >= 2, TTL_MS + 10_000, 'the withdrawal tried twice');
      expect((await f.payment(order.orderId)).body.status).to.equal('awaiting_approval');
      f.providerLine!.restore();

      const payment = await f.paymentReaches(order.orderId, 'failed', 10_000);
      expect(payment.failureReason).to.equal('approval_expired');
      expect((await f.approvalsFor(order.orderId))[0]).to.deep.include({ status: 'cancelled', cancelledBy: 'merchant' });
      expect(await f.eventsFor('payment.failed', order.orderId)).to.have.length(1);
    });
  });
});
