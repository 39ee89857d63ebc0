import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { ADMIN, SHOP_ORIGIN, sharedShop, type Shop } from './shop.fixture';
import { shoppers } from './shoppers';

describe('end to end: PayPal-style payment, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  let tools: ReturnType<typeof shoppers>;
  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    tools = shoppers(shop, () => admin);
  });

  const urls = { returnUrl: `${SHOP_ORIGIN}/checkout/done`, cancelUrl: `${SHOP_ORIGIN}/checkout/cancelled` };
  const statusOf = async (orderId: string) => (await shop.api.get(`/admin/orders/${orderId}`, { token: admin })).body;

  /** A PayPal order placed and its approval page asked for. */
  async function awaitingApproval(price: number, stock: number) {
    const product = await tools.productOnSale(price, stock);
    const buyer = await tools.verifiedCustomer();
    await tools.addToCart(buyer.token, product.productId);
    const placed = await shop.api.post('/orders', { shippingAddressId: buyer.addressId, payment: { method: 'paypal' } }, { token: buyer.token });
    expect(placed.status).to.equal(201);
    expect(placed.body.payment).to.deep.equal({ method: 'paypal', status: 'awaiting_approval' });
    const redirect = await shop.api.post('/payments/paypal', { orderId: placed.body.orderId, ...urls }, { token: buyer.token });
    expect(redirect.status).to.equal(200);
    return { product, buyer, order: placed.body, redirectUrl: redirect.body.redirectUrl as string };
  }

  it('order with PayPal -> the approval page shows the total -> Approve -> 303 back to the shop -> the webhook confirms the order', async () => {
    const { order, redirectUrl } = await awaitingApproval(3000, 5);

    const page = await fetch(redirectUrl);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('$37.40');
    const approved = await fetch(`${redirectUrl}/approve`, { method: 'POST', redirect: 'manual' });

    expect(approved.status).to.equal(303);
    expect(approved.headers.get('location')).to.equal(urls.returnUrl);
    const confirmed = await eventually(async () => {
      const view = await statusOf(order.orderId);
      return view.status === 'CONFIRMED' && view;
    }, 20_000, 'the order confirmed by the approval');
    expect(confirmed.payment).to.deep.include({ method: 'paypal', status: 'captured' });
  });

  it('order with PayPal -> Cancel at the provider -> 303 to the cancel page -> the order is cancelled and its stock released', async () => {
    const { product, order, redirectUrl } = await awaitingApproval(2000, 2);
    expect(await tools.stockOf(product.variantId)).to.include({ reserved: 1 });

    const cancelled = await fetch(`${redirectUrl}/cancel`, { method: 'POST', redirect: 'manual' });

    expect(cancelled.status).to.equal(303);
    expect(cancelled.headers.get('location')).to.equal(urls.cancelUrl);
    const view = await eventually(async () => {
      const current = await statusOf(order.orderId);
      return current.status === 'CANCELLED' && current;
    }, 20_000, 'the order cancelled');
    expect(view.statusHistory.at(-1)).to.include({ by: 'system', reason: 'PayPal approval cancelled' });
    expect(await tools.stockOf(product.variantId)).to.include({ reserved: 0, available: 2 });
  });

  it('when the return URL is not on a configured origin, then 400 VALIDATION_ERROR', async () => {
    const { buyer, order } = await awaitingApproval(1000, 3);
    const response = await shop.api.post('/payments/paypal', { orderId: order.orderId, returnUrl: 'https://evil.example/steal', cancelUrl: urls.cancelUrl }, { token: buyer.token });
    expect(response.status).to.equal(400);
    expect(response.body.error.code).to.equal('VALIDATION_ERROR');
  });
});
