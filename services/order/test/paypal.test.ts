import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { paymentCaptured, paymentFailed } from '@shop/contracts';
import { eventually } from '@shop/testkit';
import { startOrderFixture, usd, type OrderFixture } from './order.fixture';

describe('order service: PayPal-style payment', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  let admin: string;
  before(async () => {
    f = await startOrderFixture();
    admin = await f.issuer.token({ role: 'admin' });
  });
  after(() => f.stop());

  async function paypalOrder() {
    const buyer = await f.buyer({ stock: 5 });
    const response = await f.api.post('/orders', { shippingAddressId: buyer.addressId, payment: { method: 'paypal' } }, { token: buyer.token });
    expect(response.status).to.equal(201);
    return { buyer, order: response.body };
  }

  const details = async (orderId: string) => (await f.api.get(`/admin/orders/${orderId}`, { token: admin })).body;
  const failed = (orderId: string, reason: string) =>
    f.publish(paymentFailed, { paymentId: randomUUID(), orderId, amount: usd(4820), paymentMethod: 'paypal', reason, failedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 2 });

  it('when a customer orders with PayPal, then 201 PENDING with the payment awaiting approval and the stock held', async () => {
    const { buyer, order } = await paypalOrder();

    expect(order).to.deep.include({ status: 'PENDING', payment: { method: 'paypal', status: 'awaiting_approval' } });
    expect(f.fake.reservations.get(order.orderId)?.status).to.equal('committed');
    expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(4);
    expect(f.fake.callsOf('authorize').filter((c) => c.endsWith(order.orderId))).to.have.length(1);
  });

  it('when the shopper approves (the provider captures), then the order is CONFIRMED', async () => {
    const { order } = await paypalOrder();
    await f.publish(paymentCaptured, { paymentId: randomUUID(), orderId: order.orderId, amount: usd(4820), authorizationId: 'auth_pp', paymentMethod: 'paypal', capturedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 2 });
    await eventually(async () => (await details(order.orderId)).status === 'CONFIRMED', 10_000, 'the order confirmed');
    expect((await details(order.orderId)).payment).to.deep.equal({ method: 'paypal', status: 'captured' });
  });

  for (const [reason, said] of [
    ['approval_cancelled', 'PayPal approval cancelled'],
    ['approval_expired', 'PayPal approval expired'],
  ] as const) {
    it(`when the approval ends as ${reason}, then the order is CANCELLED by the system and its stock released`, async () => {
      const { buyer, order } = await paypalOrder();

      await failed(order.orderId, reason);

      const cancelled = await eventually(async () => {
        const view = await details(order.orderId);
        return view.status === 'CANCELLED' && view;
      }, 10_000, 'the order cancelled');
      expect(cancelled.statusHistory.at(-1)).to.include({ from: 'PENDING', to: 'CANCELLED', by: 'system', reason: said });
      expect(cancelled.payment).to.deep.include({ method: 'paypal', status: 'failed', failureReason: reason });
      expect(f.fake.reservations.get(order.orderId)?.status).to.equal('released');
      expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(5);
      expect((await f.events('order.cancelled')).filter((e) => e.orderId === order.orderId)).to.have.length(1);
    });
  }

  it('when the inventory is down as an approval is cancelled, then the order is cancelled once it is back', async () => {
    const { order } = await paypalOrder();
    f.fake.failing.set('release', 503);
    try {
      await failed(order.orderId, 'approval_cancelled');
      await eventually(() => f.fake.callsOf('release').some((c) => c.endsWith(order.orderId)), 10_000, 'a first try');
      expect((await details(order.orderId)).status).to.equal('PENDING');
    } finally {
      f.fake.failing.clear();
    }
    await eventually(async () => (await details(order.orderId)).status === 'CANCELLED', 10_000, 'the order cancelled on a later round');
  });

  it('when a card capture fails, then the order is not cancelled: it waits for an admin', async () => {
    const buyer = await f.buyer();
    const order = (await f.api.post('/orders', buyer.order(), { token: buyer.token })).body;
    await failed(order.orderId, 'capture_declined');
    await eventually(async () => (await details(order.orderId)).payment.status === 'failed', 10_000, 'the failure noted');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await details(order.orderId)).status).to.equal('PENDING');
  });

  it('when the PayPal method carries card fields or an unknown method, then 400 VALIDATION_ERROR', async () => {
    const buyer = await f.buyer();
    for (const payment of [{ method: 'paypal', cardNumber: '4242424242424242' }, { method: 'bitcoin' }, {}]) {
      const response = await f.api.post('/orders', { shippingAddressId: buyer.addressId, payment }, { token: buyer.token });
      expect(response.status, JSON.stringify(payment)).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    }
  });
});
