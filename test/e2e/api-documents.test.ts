import { expect } from 'chai';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';
import { shoppers, usd } from './shoppers';

/**
 * Every answer through the shop's client is checked against the OpenAPI document (shop.fixture):
 * these journeys take the operations the other end-to-end tests do not, so each documented
 * operation has its answer checked at least once.
 */
describe('end to end: the operations of the API document the other journeys do not take', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  let steps: ReturnType<typeof shoppers>;

  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    steps = shoppers(shop, () => admin);
  });

  it('the documents themselves, the key set and the category tree', async () => {
    expect((await shop.api.get('/openapi.json')).body.openapi).to.equal('3.1.0');
    expect((await shop.api.get('/asyncapi.json')).body.asyncapi).to.equal('3.0.0');
    expect((await shop.api.get('/auth/jwks')).body.keys).to.have.length.greaterThan(0);
    expect((await shop.api.get('/categories')).status).to.equal(200);
  });

  it('admin takes a product off sale and back, changes its price and reads the audit; restocks, adjusts, sets the threshold and reads the stock audit', async () => {
    const token = admin;
    const { productId, variantId } = await steps.productOnSale(1500, 10);
    expect((await shop.api.post(`/admin/products/${productId}/deactivate`, undefined, { token })).body.status).to.equal('inactive');
    expect((await shop.api.post(`/admin/products/${productId}/activate`, undefined, { token })).body.status).to.equal('active');
    expect((await shop.api.patch(`/admin/products/${productId}`, { price: usd(1700) }, { token })).status).to.equal(200);
    expect((await shop.api.get(`/admin/products/${productId}/price-audit`, { token })).body.items).to.have.length(1);

    expect((await shop.api.post(`/admin/inventory/${variantId}/restock`, { quantity: 5, reason: 'delivery' }, { token })).body.onHand).to.equal(15);
    expect((await shop.api.post(`/admin/inventory/${variantId}/adjustments`, { adjustment: -2, reason: 'breakage' }, { token })).body.onHand).to.equal(13);
    expect((await shop.api.put(`/admin/inventory/${variantId}/threshold`, { lowStockThreshold: 3 }, { token })).body.lowStockThreshold).to.equal(3);
    expect((await shop.api.get(`/admin/inventory/${variantId}/audit`, { token })).body.total).to.be.greaterThan(2);
  });

  it('a customer reads the addresses, asks for a verification mail again, changes, removes, restores and clears cart lines, and merges a guest cart', async () => {
    const { productId } = await steps.productOnSale(900, 20);
    const buyer = await steps.verifiedCustomer();
    const token = buyer.token;
    expect((await shop.api.get('/customers/me/addresses', { token })).body.items).to.have.length(1);
    expect((await shop.api.post('/customers/verify/resend', { email: buyer.email })).status).to.equal(202);

    await steps.addToCart(token, productId, 2);
    const itemId = (await shop.api.get('/cart', { token })).body.items[0].itemId as string;
    expect((await shop.api.patch(`/cart/items/${itemId}`, { quantity: 1 }, { token })).body.itemCount).to.equal(1);
    expect((await shop.api.delete(`/cart/items/${itemId}`, { token })).body.items).to.have.length(0);
    expect((await shop.api.post(`/cart/items/${itemId}/restore`, undefined, { token })).body.items).to.have.length(1);
    expect((await shop.api.delete('/cart', { token })).body.items).to.have.length(0);

    const guest = (await shop.api.post('/carts/guest')).body;
    expect((await shop.api.post('/cart/items', { productId, quantity: 3 }, { headers: { 'x-cart-token': guest.cartToken } })).status).to.equal(201);
    expect((await shop.api.post('/cart/merge', { cartToken: guest.cartToken }, { token })).body.itemCount).to.equal(3);
  });

  it('admin confirms an order (or is told it already is), cancels it, and suspends and reactivates its customer', async () => {
    const { productId } = await steps.productOnSale(2500, 5);
    const { buyer, order } = await steps.buy(productId);
    const confirmed = await shop.api.post(`/admin/orders/${order.orderId}/confirm`, undefined, { token: admin });
    // The provider's capture webhook may have confirmed it first.
    expect(confirmed.status === 200 || confirmed.body.error?.code === 'INVALID_STATUS_TRANSITION', JSON.stringify(confirmed.body)).to.equal(true);
    const cancelled = await shop.api.post(`/admin/orders/${order.orderId}/cancel`, { reason: 'out of paper' }, { token: admin });
    expect(cancelled.body.status).to.equal('CANCELLED');

    expect((await shop.api.post(`/admin/customers/${buyer.customerId}/suspend`, { reason: 'review' }, { token: admin })).body.status).to.equal('suspended');
    expect((await shop.api.post(`/admin/customers/${buyer.customerId}/reactivate`, { reason: 'cleared' }, { token: admin })).body.status).to.equal('verified');
  });
});
