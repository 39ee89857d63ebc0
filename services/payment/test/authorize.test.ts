import { expect } from 'chai';
import { CARDS, startPaymentFixture, usd, type PaymentFixture } from './payment.fixture';

describe('payment service: POST /internal/payments/authorizations', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  it('when the card is approved, then 201 authorized with brand and last four, and payment.authorized is published', async () => {
    const { orderId, response } = await f.authorize(CARDS.approved, 4820);

    expect(response.status).to.equal(201);
    expect(response.body).to.deep.include({ orderId, method: 'card', status: 'authorized', amount: usd(4820), brand: 'visa', last4: '4242' });
    const published = (await f.events('payment.authorized')).filter((e) => e.orderId === orderId);
    expect(published).to.have.length(1);
    expect(await f.authorizationsFor(orderId)).to.have.length(1);
  });
});
