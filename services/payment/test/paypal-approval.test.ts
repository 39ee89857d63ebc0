import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { CARDS, card, returnPages, startPaymentFixture, usd, type PaymentFixture } from './payment.fixture';

describe('payment service: PayPal checkout', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  describe('POST /internal/payments/authorizations with method paypal', () => {
    it('when a PayPal payment is authorized, then 201 awaiting_approval, the provider is not asked and nothing is published', async () => {
      const { orderId, response } = await f.authorizePaypal(4820);

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.include({ orderId, method: 'paypal', status: 'awaiting_approval', amount: usd(4820), authorizedAt: null, capturedAt: null, voidedAt: null });
      expect(response.body.paymentId).to.be.a('string');
      expect(response.body).not.to.have.property('brand');
      expect(f.providerCalls(orderId)).to.deep.equal([]);
      expect(await f.approvalsFor(orderId)).to.deep.equal([]);
      expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
      expect((await f.payment(orderId)).body).to.deep.equal(response.body);
    });

    it('when the same PayPal order is authorized again, then the same 201 answer and still one payment', async () => {
      const { orderId, customerId, response: first } = await f.authorizePaypal(2500);

      const { response: again } = await f.authorizePaypal(2500, orderId, customerId);

      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(f.providerCalls(orderId)).to.deep.equal([]);
    });

    it('when a PayPal order is authorized again for another amount, or with a card, then 409 CONFLICT and it stays as it was', async () => {
      const { orderId, customerId } = await f.authorizePaypal(2500);

      const { response: otherAmount } = await f.authorizePaypal(2600, orderId, customerId);
      const { response: byCard } = await f.authorize(CARDS.approved, 2500, orderId);

      expect([otherAmount.status, byCard.status]).to.deep.equal([409, 409]);
      expect(byCard.body.error.code).to.equal('CONFLICT');
      expect(f.providerCalls(orderId)).to.deep.equal([]);
      expect((await f.payment(orderId)).body).to.deep.include({ method: 'paypal', status: 'awaiting_approval', amount: usd(2500) });
    });

    it('when a PayPal authorization sends a card, then 400 VALIDATION_ERROR naming card and nothing is recorded', async () => {
      const orderId = randomUUID();

      const response = await f.api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: usd(1500), method: 'paypal', card: { cardNumber: CARDS.approved, expMonth: 12, expYear: 2040, cvc: '123' } });

      expect(response.status).to.equal(400);
      expect(response.body.error.details.fields.map((x: { field: string }) => x.field)).to.include('card');
      expect(JSON.stringify(response.body)).not.to.include(CARDS.approved);
      expect((await f.payment(orderId)).status).to.equal(404);
    });
  });

  describe('POST /payments/paypal', () => {
    it("when the customer's PayPal order awaits approval, then 200 with a redirectUrl at the provider, whose page shows the order total with Approve and Cancel", async () => {
      const { orderId, customerId } = await f.authorizePaypal(4820);
      const token = await f.issuer.token({ customerId });

      const response = await f.requestApproval(orderId, token);

      expect(response.status).to.equal(200);
      expect(Object.keys(response.body)).to.deep.equal(['redirectUrl']);
      expect(response.body.redirectUrl).to.match(new RegExp(`^${f.sandbox.url}/paypal/pp_`));
      const [approval] = await f.approvalsFor(orderId);
      expect(approval).to.deep.include({ status: 'awaiting_approval', amount: usd(4820), approvalUrl: response.body.redirectUrl, ...returnPages(orderId) });
      const page = await f.page('GET', response.body.redirectUrl);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('$48.20 USD');
      expect(page.text).to.include(`action="${response.body.redirectUrl}/approve"`);
      expect(page.text).to.include(`action="${response.body.redirectUrl}/cancel"`);
      expect((await f.payment(orderId)).body.status).to.equal('awaiting_approval');
    });

    it('when it is asked again, even with other pages, then the same redirectUrl and the provider holds one approval', async () => {
      const { orderId, token, redirectUrl } = await f.paypalOrder(3100);

      const again = await f.requestApproval(orderId, token);
      const otherPages = await f.requestApproval(orderId, token, { returnUrl: 'http://127.0.0.1:8080/elsewhere' });

      expect([again.status, otherPages.status]).to.deep.equal([200, 200]);
      expect(again.body.redirectUrl).to.equal(redirectUrl);
      expect(otherPages.body.redirectUrl).to.equal(redirectUrl);
      expect(await f.approvalsFor(orderId)).to.have.length(1);
      expect(f.providerCalls(orderId).map((c) => c.method)).to.deep.equal(['createApproval']);
    });

    it('when it is asked twice at once, then both answers are the same redirectUrl and the provider holds one approval', async () => {
      const { orderId, customerId } = await f.authorizePaypal(2200);
      const token = await f.issuer.token({ customerId });

      const [one, two] = await Promise.all([f.requestApproval(orderId, token), f.requestApproval(orderId, token)]);

      expect([one.status, two.status]).to.deep.equal([200, 200]);
      expect(two.body.redirectUrl).to.equal(one.body.redirectUrl);
      expect(await f.approvalsFor(orderId)).to.have.length(1);
    });

    it('when no bearer token is sent, or a forged one, then 401 UNAUTHORIZED and the provider is not asked', async () => {
      const { orderId } = await f.authorizePaypal(4820);

      const without = await f.requestApproval(orderId, null);
      const forged = await f.requestApproval(orderId, 'not-a-token');

      expect([without.status, forged.status]).to.deep.equal([401, 401]);
      expect(without.body.error.code).to.equal('UNAUTHORIZED');
      expect(f.providerCalls(orderId)).to.deep.equal([]);
    });

    it("when the order is someone else's, unknown or paid by card, then 404 PAYMENT_NOT_FOUND and the provider is not asked", async () => {
      const { orderId: theirs } = await f.authorizePaypal(4820);
      const [byCard, cardCustomer] = [randomUUID(), randomUUID()];
      const paidByCard = await f.api.post('/internal/payments/authorizations', { orderId: byCard, customerId: cardCustomer, amount: usd(4820), card: card() });
      expect(paidByCard.status).to.equal(201);
      const token = await f.issuer.token({ customerId: randomUUID() });
      const cardOwner = await f.issuer.token({ customerId: cardCustomer });

      const answers = [await f.requestApproval(theirs, token), await f.requestApproval(randomUUID(), token), await f.requestApproval(byCard, cardOwner)];

      for (const answer of answers) {
        expect(answer.status).to.equal(404);
        expect(answer.body.error.code).to.equal('PAYMENT_NOT_FOUND');
      }
      expect(f.providerCalls(theirs)).to.deep.equal([]);
      expect(await f.approvalsFor(theirs)).to.deep.equal([]);
    });

    const refusedPages = [
      { what: 'the returnUrl is javascript:', field: 'returnUrl', pages: { returnUrl: 'javascript:alert(document.cookie)' } },
      { what: 'the cancelUrl is on an origin not configured', field: 'cancelUrl', pages: { cancelUrl: 'https://evil.example/checkout/paypal/cancel' } },
      { what: 'the returnUrl is on the shop host at another port', field: 'returnUrl', pages: { returnUrl: 'http://localhost:9999/checkout/paypal/return' } },
      { what: 'the returnUrl hides another host behind credentials', field: 'returnUrl', pages: { returnUrl: 'http://localhost:8080@evil.example/return' } },
    ];
    for (const { what, field, pages } of refusedPages) {
      it(`when ${what}, then 400 VALIDATION_ERROR naming ${field} and the provider is not asked`, async () => {
        const { orderId, customerId } = await f.authorizePaypal(4820);
        const token = await f.issuer.token({ customerId });

        const response = await f.requestApproval(orderId, token, pages);

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect(response.body.error.details.fields.map((x: { field: string }) => x.field)).to.deep.equal([field]);
        expect(f.providerCalls(orderId)).to.deep.equal([]);
        expect(await f.approvalsFor(orderId)).to.deep.equal([]);
      });
    }

    it('when the body is malformed (no orderId, a URL that is not a string), then 400 VALIDATION_ERROR naming the fields', async () => {
      const token = await f.issuer.token();

      const response = await f.api.post('/payments/paypal', { returnUrl: 42, cancelUrl: returnPages('x').cancelUrl }, { token });

      expect(response.status).to.equal(400);
      expect(response.body.error.details.fields.map((x: { field: string }) => x.field)).to.include.members(['orderId', 'returnUrl']);
    });
  });
});
