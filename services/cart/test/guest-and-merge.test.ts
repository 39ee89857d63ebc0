import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { customerLoggedIn } from '@shop/contracts';
import { eventually } from '@shop/testkit';
import { startCartFixture, type CartFixture } from './cart.fixture';

describe('guest carts and merging them', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const quantities = (cart: { items: Array<{ variantId: string; quantity: number }> }) => Object.fromEntries(cart.items.map((i) => [i.variantId, i.quantity]));
  const mergedEvents = async (guestCartId: string) => (await f.events('cart.merged')).filter((e) => e.guestCartId === guestCartId);

  describe('POST /carts/guest', () => {
    it('when a guest asks for a cart, then 201 with its id and a token that opens it (and no other cart)', async () => {
      const product = await f.product();

      const response = await f.api.post('/carts/guest');

      expect(response.status).to.equal(201);
      expect(Object.keys(response.body).sort()).to.deep.equal(['cartId', 'cartToken']);
      const headers = { 'x-cart-token': response.body.cartToken };
      const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers });
      expect(added.status).to.equal(201);
      expect(added.body.cartId).to.equal(response.body.cartId);
      const read = await f.api.get('/cart', { headers });
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.include({ cartId: response.body.cartId, itemCount: 2 });
      const other = await f.guest();
      expect((await f.api.get('/cart', { headers: other.headers })).body).to.deep.include({ cartId: other.cartId, items: [] });
      expect((await f.events('cart.item-added')).find((e) => e.cartId === response.body.cartId)).to.include({ customerId: null });
    });

    it('when a guest cart is made, then only the hash of its token is stored', async () => {
      const guest = await f.guest();

      const row = await f.service.deps.db.selectFrom('carts').select(['token_hash', 'customer_id']).where('id', '=', guest.cartId).executeTakeFirstOrThrow();

      expect(row.customer_id).to.equal(null);
      expect(row.token_hash!.equals(createHash('sha256').update(guest.cartToken).digest())).to.equal(true);
    });
  });

  describe('POST /cart/merge', () => {
    it("when a customer merges a guest cart, then lines are summed per variant, capped to stock, a sold-out one left out, the guest cart gone and cart.merged published", async () => {
      const shared = await f.product({ stock: 10 });
      const scarce = await f.product({ stock: 5 });
      const soldOut = await f.product({ stock: 3 });
      const guestOnly = await f.product({ stock: 10 });
      const { customerId, token } = await f.customer();
      await f.api.post('/cart/items', { productId: shared.productId, quantity: 2 }, { token });
      await f.api.post('/cart/items', { productId: scarce.productId, quantity: 3 }, { token });
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: shared.productId, quantity: 4 }, { headers: guest.headers });
      await f.api.post('/cart/items', { productId: scarce.productId, quantity: 4 }, { headers: guest.headers });
      await f.api.post('/cart/items', { productId: soldOut.productId, quantity: 1 }, { headers: guest.headers });
      await f.api.post('/cart/items', { productId: guestOnly.productId, quantity: 2 }, { headers: guest.headers });
      f.inventory.available.set(soldOut.variants[0]!.variantId, 0);

      const response = await f.api.post('/cart/merge', { cartToken: guest.cartToken }, { token });

      expect(response.status).to.equal(200);
      const expected = { [shared.variants[0]!.variantId]: 6, [scarce.variants[0]!.variantId]: 5, [guestOnly.variants[0]!.variantId]: 2 };
      expect(quantities(response.body)).to.deep.equal(expected);
      expect(response.body.itemCount).to.equal(13);
      expect(quantities((await f.api.get('/cart', { token })).body)).to.deep.equal(expected);
      expect((await f.api.get('/cart', { headers: guest.headers })).status).to.equal(401);
      const events = await mergedEvents(guest.cartId);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ cartId: response.body.cartId, customerId });
      expect(events[0]!.mergedItems).to.have.deep.members([
        { productId: shared.productId, variantId: shared.variants[0]!.variantId, quantity: 6 },
        { productId: scarce.productId, variantId: scarce.variants[0]!.variantId, quantity: 5 },
        { productId: guestOnly.productId, variantId: guestOnly.variants[0]!.variantId, quantity: 2 },
      ]);
    });

    it('when the same guest cart is merged again, then 404 CART_NOT_FOUND and the customer cart unchanged', async () => {
      const product = await f.product({ stock: 10 });
      const { token } = await f.customer();
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });
      await f.api.post('/cart/merge', { cartToken: guest.cartToken }, { token });
      const before = (await f.api.get('/cart', { token })).body;

      const again = await f.api.post('/cart/merge', { cartToken: guest.cartToken }, { token });

      expect(again.status).to.equal(404);
      expect(again.body.error.code).to.equal('CART_NOT_FOUND');
      expect((await f.api.get('/cart', { token })).body).to.deep.equal(before);
      expect(before.items.map((i: { quantity: number }) => i.quantity)).to.deep.equal([2]);
    });

    it('when a guest (no bearer token) merges, then 401 UNAUTHORIZED and its cart is kept', async () => {
      const product = await f.product();
      const guest = await f.guest();
      const other = await f.guest();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { headers: other.headers });

      const withToken = await f.api.post('/cart/merge', { cartToken: other.cartToken }, { headers: guest.headers });
      const withNothing = await f.api.post('/cart/merge', { cartToken: other.cartToken });

      expect([withToken.status, withToken.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
      expect([withNothing.status, withNothing.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
      expect((await f.api.get('/cart', { headers: other.headers })).body.itemCount).to.equal(1);
      expect((await f.api.get('/cart', { headers: guest.headers })).body.items).to.deep.equal([]);
    });

    it('when the token names no guest cart, then 404 CART_NOT_FOUND', async () => {
      const { token } = await f.customer();

      const response = await f.api.post('/cart/merge', { cartToken: 'no-such-token' }, { token });

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('CART_NOT_FOUND');
    });

    it('when no cartToken is sent, then 400 VALIDATION_ERROR', async () => {
      const { token } = await f.customer();

      const response = await f.api.post('/cart/merge', {}, { token });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('customer.logged-in naming a guest cart', () => {
    it("when a customer logs in with a guest cart, then within a second the customer's cart holds the guest lines and the guest cart is gone", async () => {
      const product = await f.product({ stock: 10 });
      const other = await f.product({ variants: 2, stock: 10 });
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });
      await f.api.post('/cart/items', { productId: other.productId, variantId: other.variants[1]!.variantId, quantity: 3 }, { headers: guest.headers });
      const { customerId, token } = await f.customer();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { token });

      await f.publish(customerLoggedIn, { customerId, guestCartId: guest.cartId, loggedInAt: new Date().toISOString() }, { type: 'customer', id: customerId, version: 1 });

      const cart = await eventually(
        async () => {
          const body = (await f.api.get('/cart', { token })).body;
          return body.itemCount === 6 ? body : undefined;
        },
        1_000,
        'the guest lines in the customer cart',
      );
      expect(quantities(cart)).to.deep.equal({ [product.variants[0]!.variantId]: 3, [other.variants[1]!.variantId]: 3 });
      expect((await f.api.get('/cart', { headers: guest.headers })).status).to.equal(401);
      expect((await mergedEvents(guest.cartId)).map((e) => e.customerId)).to.deep.equal([customerId]);
    });
  });
});
