import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('end to end: a cart, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
  });

  /** An active product with one variant and stock, known to the cart once it answers for it. */
  async function productOnSale(name: string, price: number, stock: number) {
    const category = await shop.api.post('/admin/categories', { name: `Cart ${randomUUID().slice(0, 8)}` }, { token: admin });
    const created = await shop.api.post('/admin/products', { name, description: 'For the cart.', price: usd(price), categoryId: category.body.id, status: 'active', initialStock: stock }, { token: admin });
    expect(created.status).to.equal(201);
    return { productId: created.body.id as string, variantId: created.body.variants[0].id as string };
  }

  it('a guest fills a cart -> logs in with guestCartId -> the customer cart holds the lines -> an admin changes a price -> the cart shows it -> an admin deletes the product -> the line is gone', async () => {
    const kettle = await productOnSale(`Kettle ${randomUUID().slice(0, 6)}`, 3000, 10);
    const mug = await productOnSale(`Mug ${randomUUID().slice(0, 6)}`, 900, 10);

    const guest = await shop.api.post('/carts/guest');
    expect(guest.status).to.equal(201);
    const asGuest = { headers: { 'x-cart-token': guest.body.cartToken } };
    // The cart learns of new products through the catalog's events: wait until it takes them.
    await eventually(async () => (await shop.api.post('/cart/items', { productId: kettle.productId, quantity: 2 }, asGuest)).status === 201, 10_000, 'the kettle in the guest cart');
    await eventually(async () => (await shop.api.post('/cart/items', { productId: mug.productId, quantity: 3 }, asGuest)).status === 201, 10_000, 'the mug in the guest cart');
    const filled = await shop.api.get('/cart', asGuest);
    expect(filled.body.itemCount).to.equal(5);
    expect(filled.body.total).to.deep.equal(usd(2 * 3000 + 3 * 900));

    const email = `cart-${randomUUID().slice(0, 8)}@example.com`;
    await shop.api.post('/customers', { email, password: 'cart-pass-1', firstName: 'Carla', lastName: 'Cart' });
    const login = await shop.api.post('/auth/login', { email, password: 'cart-pass-1', guestCartId: guest.body.cartId });
    expect(login.status).to.equal(200);
    const token = login.body.accessToken as string;
    const merged = await eventually(async () => {
      const cart = await shop.api.get('/cart', { token });
      return cart.body.items?.length === 2 && cart.body;
    }, 5_000, 'the guest lines in the customer cart');
    expect(merged.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity]).sort()).to.deep.equal(
      [
        [kettle.productId, 2],
        [mug.productId, 3],
      ].sort(),
    );
    expect((await shop.api.get('/cart', asGuest)).status, 'the guest cart is gone').to.equal(401);

    expect((await shop.api.patch(`/admin/products/${kettle.productId}`, { price: usd(2500) }, { token: admin })).status).to.equal(200);
    await eventually(async () => {
      const cart = await shop.api.get('/cart', { token });
      const line = cart.body.items.find((i: { productId: string }) => i.productId === kettle.productId);
      return line?.unitPrice.amount === 2500 && cart.body.total.amount === 2 * 2500 + 3 * 900;
    }, 5_000, 'the new price in the cart');

    expect((await shop.api.delete(`/admin/products/${mug.productId}`, { token: admin })).status).to.equal(204);
    await eventually(async () => {
      const cart = await shop.api.get('/cart', { token });
      return cart.body.items.length === 1 && cart.body.items[0].productId === kettle.productId;
    }, 5_000, 'the deleted product gone from the cart');
  });

  it('when nobody is signed in and no cart token is sent, then the gateway passes the request and the cart service answers 401 UNAUTHORIZED', async () => {
    const response = await shop.api.get('/cart');
    expect(response.status).to.equal(401);
    expect(response.body.error.code).to.equal('UNAUTHORIZED');
  });
});
