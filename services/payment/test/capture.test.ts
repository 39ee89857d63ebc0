import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, startPaymentFixture, type PaymentFixture } from './payment.fixture';

describe('payment service: capture on order.placed, confirmed by the provider webhook', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  it('when an order is placed, then its authorization is captured, the signed webhook confirms it and payment.captured is published once', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);

    await f.placeOrder(orderId, 4820);

    const captured = await eventually(async () => (await f.events('payment.captured')).filter((e) => e.orderId === orderId).at(0), 10_000, 'payment.captured');
    expect(captured).to.deep.include({ orderId, paymentMethod: 'card' });
    expect((await f.api.get(`/internal/payments/${orderId}`)).body.status).to.equal('captured');
    const [authorization] = await f.authorizationsFor(orderId);
    expect(authorization!.status).to.equal('captured');
  });
});
