import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import type { Shop } from './shop.fixture';

/** What end-to-end tests of buying do again and again, through the gateway. */
export const usd = (amount: number) => ({ amount, currency: 'USD' });
export const HOME = { recipientName: 'Ada Lovelace', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
export const card = (cardNumber = '4242424242424242') => ({ method: 'card', cardNumber, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' });

export function shoppers(shop: Shop, adminToken: () => string) {
  /** An active product with one variant and this much stock. */
  async function productOnSale(price: number, stock: number) {
    const token = adminToken();
    const category = await shop.api.post('/admin/categories', { name: `E2E ${randomUUID().slice(0, 8)}` }, { token });
    const created = await shop.api.post(
      '/admin/products',
      { name: `Teapot ${randomUUID().slice(0, 6)}`, description: 'For an end-to-end test.', price: usd(price), categoryId: category.body.id, status: 'active', initialStock: stock },
      { token },
    );
    expect(created.status).to.equal(201);
    return { productId: created.body.id as string, variantId: created.body.variants[0].id as string, name: created.body.name as string };
  }

  /** Registers, verifies through the mailed link, logs in and saves an address. */
  async function verifiedCustomer() {
    const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
    await shop.api.post('/customers', { email, password: 'buyer-pass-1', firstName: 'Ada', lastName: 'Lovelace' });
    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === email), 15_000);
    await shop.api.post('/customers/verify', { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] });
    const login = (await shop.api.post('/auth/login', { email, password: 'buyer-pass-1' })).body;
    const address = await shop.api.post('/customers/me/addresses', HOME, { token: login.accessToken });
    return { email, token: login.accessToken as string, customerId: login.customer.id as string, addressId: address.body.id as string };
  }

  /** Adds a product to the cart once the cart knows it (it learns products from the catalog's events). */
  async function addToCart(token: string, productId: string, quantity = 1) {
    await eventually(async () => (await shop.api.post('/cart/items', { productId, quantity }, { token })).status === 201, 10_000, 'the product in the cart');
  }

  /** The inventory's view of a variant's stock. */
  const stockOf = async (variantId: string) => (await shop.api.get(`/admin/inventory/${variantId}`, { token: adminToken() })).body;

  /** A verified customer buys one unit of the product with a card: the 201 body. */
  async function buy(productId: string, cardNumber?: string) {
    const buyer = await verifiedCustomer();
    await addToCart(buyer.token, productId);
    const placed = await shop.api.post('/orders', { shippingAddressId: buyer.addressId, payment: card(cardNumber) }, { token: buyer.token });
    expect(placed.status).to.equal(201);
    return { buyer, order: placed.body };
  }

  return { productOnSale, verifiedCustomer, addToCart, stockOf, buy };
}
