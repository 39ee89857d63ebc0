import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { CONTRACTS, startCartFixture, type CartFixture } from './cart.fixture';

describe('internal cart routes for checkout', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const snapshotOf = (customerId: string) => f.api.get(`/internal/carts/by-customer/${customerId}`);
  const productIdsOf = (cart: { items: Array<{ productId: string }> }) => cart.items.map((i) => i.productId);

  /** A customer's cart holding one line of each new product made. */
  async function customerWith(count: number) {
    const { customerId, token } = await f.customer();
    const products = [];
    for (let i = 0; i < count; i += 1) {
      const product = await f.product();
      expect((await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { token })).status).to.equal(201);
      products.push(product);
    }
    return { customerId, token, productIds: products.map((p) => p.productId) };
  }

  async function addProduct(token: string) {
    const product = await f.product();
    expect((await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { token })).status).to.equal(201);
    return product.productId;
  }

  describe('GET /internal/carts/by-customer/:customerId', () => {
    it("when the customer has a cart, then 200 with it, its customerId and its version, which grows with each change", async () => {
      const { customerId, token, productIds } = await customerWith(2);
      const cart = (await f.api.get('/cart', { token })).body;

      const response = await snapshotOf(customerId);

      expect(response.status).to.equal(200);
      const { items, ...rest } = response.body;
      const { items: cartItems, ...cartRest } = cart;
      expect(rest).to.deep.include({ ...cartRest, customerId });
      expect(items.map(({ onSale, ...item }: { onSale: boolean }) => (expect(onSale).to.equal(true), item))).to.deep.equal(cartItems);
      expect(productIdsOf(response.body)).to.deep.equal(productIds);
      expect(response.body.version).to.be.a('number');
      await addProduct(token);
      expect((await snapshotOf(customerId)).body.version).to.be.above(response.body.version);
    });

    it('when a product went off sale, then its line is not on sale; a sold-out one is on sale but not available', async () => {
      const { customerId, productIds } = await customerWith(2);
      const [off, soldOut] = (await snapshotOf(customerId)).body.items as Array<{ productId: string; variantId: string }>;
      await f.consumed(await f.publish(CONTRACTS.productDeactivated, { productId: off!.productId, variantIds: [off!.variantId], deactivatedBy: null, deactivatedAt: new Date().toISOString() }, { type: 'product', id: off!.productId, version: 2 }));
      await f.consumed(
        await f.publish(
          CONTRACTS.inventoryStockChanged,
          { inventoryId: randomUUID(), variantId: soldOut!.variantId, productId: soldOut!.productId, onHand: 0, reserved: 0, available: 0, lowStockThreshold: 2, stockStatus: 'out_of_stock', stockVersion: 9, changedAt: new Date().toISOString() },
          { type: 'stock', id: soldOut!.variantId, version: 9 },
        ),
      );

      const lines = (await snapshotOf(customerId)).body.items;

      expect(lines.map((l: { productId: string; onSale: boolean; available: boolean }) => [l.productId, l.onSale, l.available])).to.deep.equal([
        [productIds[0], false, false],
        [productIds[1], true, false],
      ]);
    });

    it('when the customer id is not a UUID, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.get('/internal/carts/by-customer/not-a-uuid');

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('POST /internal/carts/:cartId/clear', () => {
    it('when an order was placed from a snapshot, then the lines of that snapshot leave the cart and a line added after it stays', async () => {
      const { customerId, token, productIds } = await customerWith(2);
      const snapshot = (await snapshotOf(customerId)).body;
      const later = await addProduct(token);

      const response = await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId: randomUUID(), version: snapshot.version });

      expect(response.status).to.equal(200);
      expect(productIdsOf(response.body)).to.deep.equal([later]);
      expect(productIdsOf((await f.api.get('/cart', { token })).body)).to.deep.equal([later]);
      const removed = (await f.events('cart.item-removed')).filter((e) => e.cartId === snapshot.cartId);
      expect(removed.map((e) => [e.productId, e.reason]).sort()).to.deep.equal(productIds.map((id) => [id, 'order-placed']).sort());
    });

    it('when a line of the snapshot changed after it, then that line stays', async () => {
      const { customerId, token, productIds } = await customerWith(2);
      const snapshot = (await snapshotOf(customerId)).body;
      const changed = snapshot.items.find((i: { productId: string }) => i.productId === productIds[1]);
      await f.api.patch(`/cart/items/${changed.itemId}`, { quantity: 3 }, { token });

      const response = await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId: randomUUID(), version: snapshot.version });

      expect(response.status).to.equal(200);
      expect(response.body.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity])).to.deep.equal([[productIds[1], 3]]);
    });

    it('when every line is in the snapshot, then the cart is empty and cart.cleared (order-placed) published', async () => {
      const { customerId, token } = await customerWith(2);
      const snapshot = (await snapshotOf(customerId)).body;

      const response = await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId: randomUUID(), version: snapshot.version });

      expect(response.status).to.equal(200);
      expect(response.body.items).to.deep.equal([]);
      expect((await f.api.get('/cart', { token })).body.items).to.deep.equal([]);
      const cleared = (await f.events('cart.cleared')).filter((e) => e.cartId === snapshot.cartId);
      expect(cleared.map((e) => [e.customerId, e.reason])).to.deep.equal([[customerId, 'order-placed']]);
    });

    it('when the same order asks again, even with a newer version, then nothing more is removed', async () => {
      const { customerId, token } = await customerWith(1);
      const snapshot = (await snapshotOf(customerId)).body;
      const orderId = randomUUID();
      await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId, version: snapshot.version });
      const added = await addProduct(token);
      const newer = (await snapshotOf(customerId)).body;

      const again = await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId, version: newer.version });

      expect(again.status).to.equal(200);
      expect(productIdsOf(again.body)).to.deep.equal([added]);
      expect(productIdsOf((await f.api.get('/cart', { token })).body)).to.deep.equal([added]);
      expect((await f.events('cart.cleared')).filter((e) => e.cartId === snapshot.cartId)).to.have.length(1);
    });

    it('when the cart is unknown, then 404 CART_NOT_FOUND', async () => {
      const response = await f.api.post(`/internal/carts/${randomUUID()}/clear`, { orderId: randomUUID(), version: 1 });

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('CART_NOT_FOUND');
    });

    for (const [label, body] of [
      ['no orderId', { version: 2 }],
      ['an orderId that is not a UUID', { orderId: 'order-1', version: 2 }],
      ['no version', { orderId: randomUUID() }],
      ['a version that is not a positive integer', { orderId: randomUUID(), version: 'two' }],
      ['a version of 0', { orderId: randomUUID(), version: 0 }],
    ] as const) {
      it(`when the body has ${label}, then 400 VALIDATION_ERROR and the cart unchanged`, async () => {
        const { customerId, token } = await customerWith(1);
        const snapshot = (await snapshotOf(customerId)).body;

        const response = await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, body);

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect((await f.api.get('/cart', { token })).body.items).to.have.length(1);
      });
    }

    it('when the body is not JSON, then 400 and not a 5xx', async () => {
      const { customerId } = await customerWith(1);
      const snapshot = (await snapshotOf(customerId)).body;

      const response = await f.api.call('POST', `/internal/carts/${snapshot.cartId}/clear`, { raw: '{"orderId":' });

      expect(response.status).to.equal(400);
    });
  });
});
