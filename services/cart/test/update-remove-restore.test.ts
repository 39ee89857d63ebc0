import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startCartFixture, type CartFixture } from './cart.fixture';

type Owner = { token: string } | { headers: Record<string, string> };

describe('changing, removing and restoring cart items', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const cartOf = async (owner: Owner) => (await f.api.get('/cart', owner)).body;
  const eventsOf = async (type: string, cartId: string) => (await f.events(type)).filter((e) => e.cartId === cartId);

  /** A customer's cart holding `quantity` of a new product's one variant (stock `stock`). */
  async function customerWithLine(quantity = 2, stock = 10) {
    const product = await f.product({ stock });
    const { token } = await f.customer();
    const response = await f.api.post('/cart/items', { productId: product.productId, quantity }, { token });
    expect(response.status).to.equal(201);
    return { token, product, cart: response.body, item: response.body.items[0] };
  }

  describe('PATCH /cart/items/:itemId', () => {
    it('when the new quantity is within the stock, then 200 with it and cart.item-quantity-updated', async () => {
      const { token, cart, item } = await customerWithLine(2, 10);

      const response = await f.api.patch(`/cart/items/${item.itemId}`, { quantity: 7 }, { token });

      expect(response.status).to.equal(200);
      expect(response.body.items).to.have.length(1);
      expect(response.body.items[0]).to.include({ itemId: item.itemId, quantity: 7 });
      expect(response.body.itemCount).to.equal(7);
      expect(response.body.total.amount).to.equal(7 * item.unitPrice.amount);
      expect((await cartOf({ token })).items[0].quantity).to.equal(7);
      const events = await eventsOf('cart.item-quantity-updated', cart.cartId);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ cartItemId: item.itemId, oldQuantity: 2, newQuantity: 7 });
    });

    it('when the quantity is 0, then the line is removed and cart.item-removed published', async () => {
      const { token, cart, item } = await customerWithLine();

      const response = await f.api.patch(`/cart/items/${item.itemId}`, { quantity: 0 }, { token });

      expect(response.status).to.equal(200);
      expect(response.body.items).to.deep.equal([]);
      expect(response.body.itemCount).to.equal(0);
      expect((await cartOf({ token })).items).to.deep.equal([]);
      const removed = await eventsOf('cart.item-removed', cart.cartId);
      expect(removed.map((e) => [e.cartItemId, e.reason])).to.deep.equal([[item.itemId, 'customer']]);
    });

    it('when the new quantity is above the stock, then 409 QUANTITY_EXCEEDS_STOCK with details.available and the line unchanged', async () => {
      const { token, item } = await customerWithLine(2, 5);
      const before = await cartOf({ token });

      const response = await f.api.patch(`/cart/items/${item.itemId}`, { quantity: 6 }, { token });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('QUANTITY_EXCEEDS_STOCK');
      expect(response.body.error.details.available).to.equal(5);
      expect(await cartOf({ token })).to.deep.equal(before);
    });

    it("when the item is in another customer's cart, then 404 ITEM_NOT_FOUND and that cart unchanged", async () => {
      const owner = await customerWithLine(2, 10);
      const before = await cartOf({ token: owner.token });
      const { token: stranger } = await f.customer();

      const response = await f.api.patch(`/cart/items/${owner.item.itemId}`, { quantity: 5 }, { token: stranger });

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('ITEM_NOT_FOUND');
      expect(await cartOf({ token: owner.token })).to.deep.equal(before);
      expect((await cartOf({ token: stranger })).items).to.deep.equal([]);
    });

    it("when the item is in a guest's cart, then 404 ITEM_NOT_FOUND to a customer and to another guest, and that cart unchanged", async () => {
      const product = await f.product();
      const guest = await f.guest();
      const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });
      const itemId = added.body.items[0].itemId;
      const { token } = await f.customer();
      const otherGuest = await f.guest();

      const byCustomer = await f.api.patch(`/cart/items/${itemId}`, { quantity: 0 }, { token });
      const byGuest = await f.api.patch(`/cart/items/${itemId}`, { quantity: 3 }, { headers: otherGuest.headers });

      expect([byCustomer.status, byCustomer.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect([byGuest.status, byGuest.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect(await cartOf({ headers: guest.headers })).to.deep.equal(added.body);
    });
  });

  describe('DELETE /cart/items/:itemId', () => {
    it('when the item is in the cart, then 200 with the cart without it and cart.item-removed', async () => {
      const { token, product, cart, item } = await customerWithLine();
      const kept = await f.product();
      await f.api.post('/cart/items', { productId: kept.productId, quantity: 1 }, { token });

      const response = await f.api.delete(`/cart/items/${item.itemId}`, { token });

      expect(response.status).to.equal(200);
      expect(response.body.items.map((i: { productId: string }) => i.productId)).to.deep.equal([kept.productId]);
      expect(response.body.itemCount).to.equal(1);
      const removed = await eventsOf('cart.item-removed', cart.cartId);
      expect(removed).to.have.length(1);
      expect(removed[0]).to.include({ cartItemId: item.itemId, productId: product.productId, reason: 'customer' });
    });

    it("when the item is unknown or someone else's, then 404 ITEM_NOT_FOUND and both carts unchanged", async () => {
      const owner = await customerWithLine();
      const before = await cartOf({ token: owner.token });
      const { token: stranger } = await f.customer();

      const theirs = await f.api.delete(`/cart/items/${owner.item.itemId}`, { token: stranger });
      const unknown = await f.api.delete(`/cart/items/${randomUUID()}`, { token: owner.token });

      expect([theirs.status, theirs.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect(await cartOf({ token: owner.token })).to.deep.equal(before);
    });
  });

  describe('POST /cart/items/:itemId/restore', () => {
    it('when the removed item is restored within the undo window, then it is back as it was and cart.item-added published', async () => {
      const { token, cart, item } = await customerWithLine(3, 10);
      await f.api.delete(`/cart/items/${item.itemId}`, { token });

      const response = await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });

      expect(response.status).to.equal(200);
      expect(response.body.items).to.have.length(1);
      expect(response.body.items[0]).to.deep.include({ itemId: item.itemId, variantId: item.variantId, quantity: 3, unitPrice: item.unitPrice, available: true });
      expect((await cartOf({ token })).items.map((i: { itemId: string }) => i.itemId)).to.deep.equal([item.itemId]);
      const added = await eventsOf('cart.item-added', cart.cartId);
      expect(added.map((e) => [e.cartItemId, e.quantity])).to.deep.equal([
        [item.itemId, 3],
        [item.itemId, 3],
      ]);
    });

    it('when an item removed by quantity 0 is restored, then it is back too', async () => {
      const { token, item } = await customerWithLine(4, 10);
      await f.api.patch(`/cart/items/${item.itemId}`, { quantity: 0 }, { token });

      const response = await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });

      expect(response.status).to.equal(200);
      expect(response.body.items[0]).to.include({ itemId: item.itemId, quantity: 4 });
    });

    it('when the variant sold out meanwhile, then 409 OUT_OF_STOCK and the item stays out of the cart', async () => {
      const { token, product, item } = await customerWithLine(2, 10);
      await f.api.delete(`/cart/items/${item.itemId}`, { token });
      f.inventory.available.set(product.variants[0]!.variantId, 0);

      const response = await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('OUT_OF_STOCK');
      expect((await cartOf({ token })).items).to.deep.equal([]);
    });

    it('when the item was never removed, then 404 ITEM_NOT_FOUND', async () => {
      const { token, item } = await customerWithLine();
      const before = await cartOf({ token });

      const inCart = await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });
      const unknown = await f.api.post(`/cart/items/${randomUUID()}/restore`, undefined, { token });

      expect([inCart.status, inCart.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect(await cartOf({ token })).to.deep.equal(before);
    });

    it('when the item was restored already, then restoring it again is 404 ITEM_NOT_FOUND and the line is not doubled', async () => {
      const { token, item } = await customerWithLine(2, 10);
      await f.api.delete(`/cart/items/${item.itemId}`, { token });
      await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });

      const again = await f.api.post(`/cart/items/${item.itemId}/restore`, undefined, { token });

      expect([again.status, again.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect((await cartOf({ token })).items.map((i: { quantity: number }) => i.quantity)).to.deep.equal([2]);
    });

    it("when another customer restores the item, then 404 ITEM_NOT_FOUND and it stays removed from its owner's cart", async () => {
      const owner = await customerWithLine();
      await f.api.delete(`/cart/items/${owner.item.itemId}`, { token: owner.token });
      const { token: stranger } = await f.customer();

      const response = await f.api.post(`/cart/items/${owner.item.itemId}/restore`, undefined, { token: stranger });

      expect([response.status, response.body.error.code]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
      expect((await cartOf({ token: stranger })).items).to.deep.equal([]);
      expect((await cartOf({ token: owner.token })).items).to.deep.equal([]);
    });
  });

  describe('DELETE /cart', () => {
    it('when the cart has lines, then 200 with an empty cart and cart.cleared published', async () => {
      const { token, cart } = await customerWithLine();
      const other = await f.product();
      await f.api.post('/cart/items', { productId: other.productId, quantity: 1 }, { token });

      const response = await f.api.delete('/cart', { token });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ cartId: cart.cartId, items: [], itemCount: 0, total: { amount: 0, currency: 'USD' } });
      expect((await cartOf({ token })).items).to.deep.equal([]);
      const cleared = await eventsOf('cart.cleared', cart.cartId);
      expect(cleared).to.have.length(1);
      expect(cleared[0]).to.include({ reason: 'customer' });
    });

    it('when a guest clears its cart, then 200 empty', async () => {
      const product = await f.product();
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });

      const response = await f.api.delete('/cart', { headers: guest.headers });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ cartId: guest.cartId, items: [], itemCount: 0 });
      expect((await eventsOf('cart.cleared', guest.cartId)).map((e) => e.customerId)).to.deep.equal([null]);
    });
  });
});

describe('POST /cart/items/:itemId/restore after the undo window', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture({ CART_UNDO_WINDOW_SECONDS: '1' });
  });
  after(() => f.stop());

  it('when the undo window has passed, then 404 ITEM_NOT_FOUND and the item stays removed', async () => {
    const product = await f.product();
    const { token } = await f.customer();
    const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { token });
    const itemId = added.body.items[0].itemId;
    await f.api.delete(`/cart/items/${itemId}`, { token });
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const response = await f.api.post(`/cart/items/${itemId}/restore`, undefined, { token });

    expect(response.status).to.equal(404);
    expect(response.body.error.code).to.equal('ITEM_NOT_FOUND');
    expect((await f.api.get('/cart', { token })).body.items).to.deep.equal([]);
  });

  it('when restored at once, then the short window still allows it', async () => {
    const product = await f.product();
    const { token } = await f.customer();
    const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { token });
    const itemId = added.body.items[0].itemId;
    await f.api.delete(`/cart/items/${itemId}`, { token });

    const response = await f.api.post(`/cart/items/${itemId}/restore`, undefined, { token });

    expect(response.status).to.equal(200);
    expect(response.body.items.map((i: { itemId: string }) => i.itemId)).to.deep.equal([itemId]);
  });
});
