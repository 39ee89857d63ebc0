import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { signWebhook } from '@shop/platform';
import { eventually } from '@shop/testkit';
import { ADMIN, CARRIER_WEBHOOK_SECRET, sharedShop, type Shop } from './shop.fixture';
import { shoppers, usd } from './shoppers';

describe('end to end: an order after checkout, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  let tools: ReturnType<typeof shoppers>;
  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    tools = shoppers(shop, () => admin);
  });

  const adminView = async (orderId: string) => (await shop.api.get(`/admin/orders/${orderId}`, { token: admin })).body;
  const untilStatus = (orderId: string, status: string) =>
    eventually(async () => {
      const view = await adminView(orderId);
      return view.status === status && view;
    }, 20_000, `the order ${status}`);

  it('buy -> CONFIRMED by the payment -> ship -> the carrier reports it delivered -> DELIVERED, the stock deducted', async () => {
    const lamp = await tools.productOnSale(3000, 5);
    const { order } = await tools.buy(lamp.productId);
    await untilStatus(order.orderId, 'CONFIRMED');

    const trackingNumber = `1Z${randomUUID().slice(0, 12).toUpperCase()}`;
    const shipped = await shop.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber, carrier: 'UPS' }, { token: admin });
    expect(shipped.status).to.equal(200);
    expect(await tools.stockOf(lamp.variantId)).to.include({ onHand: 4, reserved: 0, available: 4 });

    const body = JSON.stringify({ trackingNumber, status: 'delivered' });
    const delivered = await shop.api.call('POST', '/webhooks/carriers', { raw: body, headers: { 'x-signature': signWebhook(CARRIER_WEBHOOK_SECRET, body) } });
    expect(delivered.status).to.equal(200);

    const final = await adminView(order.orderId);
    expect(final.status).to.equal('DELIVERED');
    expect(final.statusHistory.map((h: { to: string; by: string }) => [h.to, h.by === 'system' ? 'system' : 'someone'])).to.deep.equal([
      ['PENDING', 'someone'],
      ['CONFIRMED', 'system'],
      ['SHIPPED', 'someone'],
      ['DELIVERED', 'system'],
    ]);
  });

  it('buy -> CONFIRMED -> the customer cancels -> CANCELLED, the stock released and the refund recorded', async () => {
    const kettle = await tools.productOnSale(4500, 3);
    const { buyer, order } = await tools.buy(kettle.productId);
    await untilStatus(order.orderId, 'CONFIRMED');

    const cancelled = await shop.api.post(`/orders/${order.orderId}/cancel`, { reason: 'ordered twice' }, { token: buyer.token });

    expect(cancelled.status).to.equal(200);
    expect(cancelled.body.status).to.equal('CANCELLED');
    expect(await tools.stockOf(kettle.variantId)).to.include({ onHand: 3, reserved: 0, available: 3 });
    const refunded = await eventually(async () => {
      const view = (await shop.api.get(`/orders/${order.orderId}`, { token: buyer.token })).body;
      return view.payment.status === 'refunded' && view;
    }, 20_000, 'the refund recorded on the order');
    expect(refunded.payment.refund).to.deep.equal({ status: 'refunded', amount: order.total });
  });

  it('an admin finds orders by status, customer, placing time and order number', async () => {
    const mug = await tools.productOnSale(1200, 10);
    const { buyer, order: first } = await tools.buy(mug.productId);
    const between = new Date();
    await tools.addToCart(buyer.token, mug.productId);
    const second = (await shop.api.post('/orders', { shippingAddressId: buyer.addressId, payment: { method: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' } }, { token: buyer.token })).body;
    await untilStatus(second.orderId, 'CONFIRMED');
    await shop.api.post(`/orders/${first.orderId}/cancel`, {}, { token: buyer.token });

    const ids = async (query: string) => (await shop.api.get(`/admin/orders?${query}`, { token: admin })).body.items.map((o: { orderId: string }) => o.orderId);
    expect(await ids(`customerId=${buyer.customerId}`)).to.deep.equal([second.orderId, first.orderId]);
    expect(await ids(`customerId=${buyer.customerId}&status=CANCELLED`)).to.deep.equal([first.orderId]);
    expect(await ids(`customerId=${buyer.customerId}&from=${between.toISOString()}`)).to.deep.equal([second.orderId]);
    expect(await ids(`customerId=${buyer.customerId}&to=${between.toISOString()}`)).to.deep.equal([first.orderId]);
    expect(await ids(`q=${second.orderNumber}`)).to.deep.equal([second.orderId]);
    expect((await shop.api.get('/admin/orders?status=LOST', { token: admin })).status).to.equal(400);
    expect((await shop.api.get('/admin/orders', { token: buyer.token })).status).to.equal(403);
    expect(second.total).to.deep.equal(usd(1200 + 500 + 96));
  });
});
