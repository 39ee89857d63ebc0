import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';
import { shoppers } from './shoppers';

describe('end to end: a customer erases their data, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  let tools: ReturnType<typeof shoppers>;
  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    tools = shoppers(shop, () => admin);
  });

  it('erasure refused while an order is open (409 PENDING_ORDERS_EXIST) -> the order is cancelled -> erased (204): old token refused, confirmation mailed, the order anonymized, the e-mail free again', async () => {
    const vase = await tools.productOnSale(2500, 5);
    const { buyer, order } = await tools.buy(vase.productId);

    const refused = await eventually(async () => {
      const response = await shop.api.call('DELETE', '/customers/me', { token: buyer.token, body: { confirmation: true } });
      return response.status === 409 && response;
    }, 10_000, 'the open order known to the customer service');
    expect(refused.body.error.code).to.equal('PENDING_ORDERS_EXIST');
    expect((await shop.api.call('DELETE', '/customers/me', { token: buyer.token, body: { confirmation: 'yes' } })).status).to.equal(400);

    expect((await shop.api.post(`/orders/${order.orderId}/cancel`, { reason: 'leaving' }, { token: buyer.token })).status).to.equal(200);
    const erased = await eventually(async () => {
      const response = await shop.api.call('DELETE', '/customers/me', { token: buyer.token, body: { confirmation: true } });
      return response.status === 204 && response;
    }, 10_000, 'the erasure once the order is closed');
    expect(erased.status).to.equal(204);

    expect((await shop.api.get('/customers/me', { token: buyer.token })).status).to.equal(401);
    expect((await shop.api.post('/auth/login', { email: buyer.email, password: 'buyer-pass-1' })).status).to.equal(401);
    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === buyer.email) && /erase|deleted|removed/i.test(m.subject), 15_000);
    expect(mail.text.length).to.be.greaterThan(0);

    const anonymized = await eventually(async () => {
      const view = (await shop.api.get(`/admin/orders/${order.orderId}`, { token: admin })).body;
      return view.email === '' && view;
    }, 10_000, 'the order anonymized');
    expect(anonymized.customerId).not.to.equal(buyer.customerId);
    expect(anonymized.shippingAddress).to.deep.equal({ recipientName: '', street: '', city: '', state: '', postalCode: '', country: 'US' });
    expect(anonymized.total).to.deep.equal(order.total);
    expect(anonymized.lineItems).to.deep.equal(order.lineItems);

    const again = await shop.api.post('/customers', { email: buyer.email, password: 'buyer-pass-2', firstName: 'New', lastName: 'Person' });
    expect(again.status).to.equal(201);
  });
});
