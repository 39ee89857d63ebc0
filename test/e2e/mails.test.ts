import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { signWebhook } from '@shop/platform';
import { eventually, type CapturedMail } from '@shop/testkit';
import { ADMIN, CARRIER_WEBHOOK_SECRET, sharedShop, STAFF_ALERTS, type Shop } from './shop.fixture';
import { card, shoppers } from './shoppers';

describe('end to end: the mails of an order and of staff, through the gateway', function () {
  this.timeout(90_000);
  let shop: Shop;
  let admin: string;
  let tools: ReturnType<typeof shoppers>;
  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    tools = shoppers(shop, () => admin);
  });

  const mailTo = (address: string, subject: string) =>
    shop.mail.waitForMail((m) => m.to.some((to) => to.address === address) && m.subject.includes(subject), 20_000) as Promise<CapturedMail>;
  const untilStatus = (orderId: string, status: string) =>
    eventually(async () => (await shop.api.get(`/admin/orders/${orderId}`, { token: admin })).body.status === status, 20_000, `the order ${status}`);

  it('a customer renamed after registering gets order received, shipped, delivered and cancelled mails by their new name; staff get the low-stock alert', async () => {
    const clock = await tools.productOnSale(2500, 7);
    const { sku } = (await shop.api.get(`/products/${clock.productId}`)).body.variants[0];
    const buyer = await tools.verifiedCustomer();
    const renamed = await shop.api.patch('/customers/me', { firstName: 'Augusta' }, { token: buyer.token });
    expect(renamed.status).to.equal(200);

    // The first order: received, then shipped and delivered.
    await tools.addToCart(buyer.token, clock.productId, 2);
    const first = (await shop.api.post('/orders', { shippingAddressId: buyer.addressId, payment: card() }, { token: buyer.token })).body;
    const received = await mailTo(buyer.email, first.orderNumber);
    expect(received.text).to.include('Hi Augusta,');
    expect(received.text).to.include('$50.00');
    await untilStatus(first.orderId, 'CONFIRMED');
    const trackingNumber = `1Z${randomUUID().slice(0, 10).toUpperCase()}`;
    expect((await shop.api.post(`/admin/orders/${first.orderId}/ship`, { trackingNumber, carrier: 'UPS' }, { token: admin })).status).to.equal(200);
    const shipped = await mailTo(buyer.email, `${first.orderNumber} has shipped`);
    expect(shipped.text).to.include('Hi Augusta,');
    expect(shipped.text).to.include(trackingNumber);
    expect(shipped.text).to.include('UPS');
    const body = JSON.stringify({ trackingNumber, status: 'delivered' });
    await shop.api.call('POST', '/webhooks/carriers', { raw: body, headers: { 'x-signature': signWebhook(CARRIER_WEBHOOK_SECRET, body) } });
    const delivered = await mailTo(buyer.email, `${first.orderNumber} was delivered`);
    expect(delivered.text).to.include('Hi Augusta,');

    // The second order: cancelled once paid, its refund named.
    await tools.addToCart(buyer.token, clock.productId, 1);
    const second = (await shop.api.post('/orders', { shippingAddressId: buyer.addressId, payment: card() }, { token: buyer.token })).body;
    await untilStatus(second.orderId, 'CONFIRMED');
    expect((await shop.api.post(`/orders/${second.orderId}/cancel`, { reason: 'found it cheaper' }, { token: buyer.token })).status).to.equal(200);
    const cancelled = await mailTo(buyer.email, `${second.orderNumber} was cancelled`);
    expect(cancelled.text).to.include('Hi Augusta,');
    expect(cancelled.text).to.include('found it cheaper');
    expect(cancelled.text).to.include(`We are refunding $${(second.total.amount / 100).toFixed(2)}`);
    const refund = await mailTo(buyer.email, `refund for Shop order ${second.orderNumber}`);
    expect(refund.text).to.include(`$${(second.total.amount / 100).toFixed(2)}`);

    // Seven on hand, two shipped: five left is the threshold, and staff hear of it.
    const alert = await mailTo(STAFF_ALERTS, `Low stock: ${clock.name} (${sku})`);
    expect(alert.text).to.include(clock.variantId);

    // Each mail once, every one naming its order in the subject.
    const mine = shop.mail.messages().filter((m) => m.to.some((to) => to.address === buyer.email));
    const subjects = mine.map((m) => m.subject);
    expect(new Set(subjects).size, subjects.join(' | ')).to.equal(subjects.length);
    expect(subjects.filter((s) => s.includes(first.orderNumber))).to.have.length(3);
    expect(subjects.filter((s) => s.includes(second.orderNumber))).to.have.length(3);
  });

  it('an admin reviews the mails and filters them; customers are refused', async () => {
    const buyer = await tools.verifiedCustomer();
    const list = await shop.api.get('/admin/notifications?template=verification-email&pageSize=5', { token: admin });
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ page: 1, pageSize: 5 });
    expect(list.body.items.every((n: { template: string }) => n.template === 'verification-email')).to.equal(true);
    expect(list.body.items[0]).to.not.have.any.keys('facts', 'text', 'html');
    expect((await shop.api.get('/admin/notifications?status=lost', { token: admin })).body.error.code).to.equal('VALIDATION_ERROR');
    expect((await shop.api.get('/admin/notifications', { token: buyer.token })).status).to.equal(403);
    const missing = await shop.api.post(`/admin/notifications/${randomUUID()}/retry`, {}, { token: admin });
    expect([missing.status, missing.body.error.code]).to.deep.equal([404, 'NOTIFICATION_NOT_FOUND']);
  });
});
