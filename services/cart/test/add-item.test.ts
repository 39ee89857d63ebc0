import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { productDeactivated, productDeleted } from '@shop/contracts';
import { startCartFixture, type CartFixture } from './cart.fixture';

const CART_KEYS = ['cartId', 'itemCount', 'items', 'total', 'updatedAt'];
const ITEM_KEYS = ['available', 'itemId', 'productId', 'productName', 'quantity', 'sku', 'subtotal', 'unitPrice', 'variantId', 'variantName'];

describe('POST /cart/items', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const add = (token: string, body: Record<string, unknown>) => f.api.post('/cart/items', body, { token });
  const cartOf = async (token: string) => (await f.api.get('/cart', { token })).body;
  const addedEvents = async (cartId: string) => (await f.events('cart.item-added')).filter((e) => e.cartId === cartId);

  it('when a customer adds a product with one variant and names none, then 201 with the whole cart, the variant implied, and cart.item-added', async () => {
    const product = await f.product({ price: 1250 });
    const variant = product.variants[0]!;
    const { customerId, token } = await f.customer();

    const response = await add(token, { productId: product.productId, quantity: 3 });

    expect(response.status).to.equal(201);
    expect(Object.keys(response.body).sort()).to.deep.equal(CART_KEYS);
    expect(response.body.items).to.have.length(1);
    const item = response.body.items[0];
    expect(Object.keys(item).sort()).to.deep.equal(ITEM_KEYS);
    expect(item).to.deep.include({
      productId: product.productId,
      variantId: variant.variantId,
      productName: product.name,
      variantName: variant.name,
      sku: variant.sku,
      quantity: 3,
      unitPrice: { amount: 1250, currency: 'USD' },
      subtotal: { amount: 3750, currency: 'USD' },
      available: true,
    });
    expect(item.itemId).to.match(/^[0-9a-f-]{36}$/);
    expect(response.body.itemCount).to.equal(3);
    expect(response.body.total).to.deep.equal({ amount: 3750, currency: 'USD' });
    expect(new Date(response.body.updatedAt).toISOString()).to.equal(response.body.updatedAt);
    expect(await cartOf(token)).to.deep.equal(response.body);
    const events = await addedEvents(response.body.cartId);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({
      customerId,
      cartItemId: item.itemId,
      productId: product.productId,
      variantId: variant.variantId,
      quantity: 3,
      unitPrice: { amount: 1250, currency: 'USD' },
    });
  });

  it('when a variant of several is named, then the line is of that variant at its own price', async () => {
    const product = await f.product({ variants: 3, price: 1000, variantPrices: [undefined, 1800] });
    const chosen = product.variants[1]!;
    const { token } = await f.customer();

    const response = await add(token, { productId: product.productId, variantId: chosen.variantId, quantity: 2 });

    expect(response.status).to.equal(201);
    expect(response.body.items).to.have.length(1);
    expect(response.body.items[0]).to.deep.include({ variantId: chosen.variantId, variantName: chosen.name, sku: chosen.sku, unitPrice: { amount: 1800, currency: 'USD' } });
    expect(response.body.total).to.deep.equal({ amount: 3600, currency: 'USD' });
  });

  it('when the variant id is written in upper case, then it names the same variant', async () => {
    const product = await f.product({ variants: 2 });
    const chosen = product.variants[0]!;
    const { token } = await f.customer();

    const response = await add(token, { productId: product.productId, variantId: chosen.variantId.toUpperCase(), quantity: 1 });

    expect(response.status).to.equal(201);
    expect(response.body.items[0].variantId).to.equal(chosen.variantId);
  });

  it('when the same variant is added again, then its line grows: one line with the sum', async () => {
    const product = await f.product({ stock: 20 });
    const { token } = await f.customer();
    const first = await add(token, { productId: product.productId, quantity: 2 });

    const second = await add(token, { productId: product.productId, variantId: product.variants[0]!.variantId, quantity: 5 });

    expect(second.status).to.equal(201);
    expect(second.body.items).to.have.length(1);
    expect(second.body.items[0]).to.include({ itemId: first.body.items[0].itemId, quantity: 7 });
    expect(second.body.itemCount).to.equal(7);
    expect((await addedEvents(second.body.cartId)).map((e) => e.quantity)).to.deep.equal([2, 5]);
  });

  describe('refused', () => {
    it('when the product is unknown, then 404 PRODUCT_NOT_FOUND and the cart unchanged', async () => {
      const { token } = await f.customer();
      const before = await cartOf(token);

      const response = await add(token, { productId: randomUUID(), quantity: 1 });

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
      expect(await cartOf(token)).to.deep.equal(before);
    });

    it('when the variant is not one of the product, then 404 PRODUCT_NOT_FOUND', async () => {
      const product = await f.product({ variants: 2 });
      const other = await f.product();
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, variantId: other.variants[0]!.variantId, quantity: 1 });

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when the product is a draft, then 409 PRODUCT_INACTIVE', async () => {
      const product = await f.product({ status: 'draft' });
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 1 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('PRODUCT_INACTIVE');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when the product was deactivated, then 409 PRODUCT_INACTIVE', async () => {
      const product = await f.product();
      await f.consumed(
        await f.publish(
          productDeactivated,
          { productId: product.productId, variantIds: product.variants.map((v) => v.variantId), deactivatedBy: null, deactivatedAt: new Date().toISOString() },
          { type: 'product', id: product.productId, version: 2 },
        ),
      );
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 1 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('PRODUCT_INACTIVE');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when the product was deleted, then 409 PRODUCT_INACTIVE', async () => {
      const product = await f.product();
      await f.consumed(
        await f.publish(
          productDeleted,
          { productId: product.productId, variantIds: product.variants.map((v) => v.variantId), deletedBy: null, deletedAt: new Date().toISOString() },
          { type: 'product', id: product.productId, version: 2 },
        ),
      );
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 1 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('PRODUCT_INACTIVE');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when the product has several variants and none is named, then 400 VARIANT_REQUIRED', async () => {
      const product = await f.product({ variants: 2 });
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 1 });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VARIANT_REQUIRED');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when nothing of the variant is available, then 409 OUT_OF_STOCK', async () => {
      const product = await f.product({ stock: 0 });
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 1 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('OUT_OF_STOCK');
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when the quantity is above the stock, then 409 QUANTITY_EXCEEDS_STOCK with details.available', async () => {
      const product = await f.product({ stock: 4 });
      const { token } = await f.customer();

      const response = await add(token, { productId: product.productId, quantity: 5 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('QUANTITY_EXCEEDS_STOCK');
      expect(response.body.error.details.available).to.equal(4);
      expect((await cartOf(token)).items).to.deep.equal([]);
    });

    it('when adding to a line takes it above the stock, then 409 QUANTITY_EXCEEDS_STOCK with details.available and the line unchanged', async () => {
      const product = await f.product({ stock: 6 });
      const { token } = await f.customer();
      await add(token, { productId: product.productId, quantity: 4 });
      const before = await cartOf(token);

      const response = await add(token, { productId: product.productId, quantity: 3 });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('QUANTITY_EXCEEDS_STOCK');
      expect(response.body.error.details.available).to.equal(6);
      expect(await cartOf(token)).to.deep.equal(before);
      expect((await addedEvents(before.cartId)).map((e) => e.quantity)).to.deep.equal([4]);
    });

    for (const quantity of [0, 100, 1.5]) {
      it(`when the quantity is ${quantity}, then 400 VALIDATION_ERROR naming quantity`, async () => {
        const product = await f.product({ stock: 200 });
        const { token } = await f.customer();

        const response = await add(token, { productId: product.productId, quantity });

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect(JSON.stringify(response.body.error.details)).to.include('quantity');
        expect((await cartOf(token)).items).to.deep.equal([]);
      });
    }

    it('when adding would take the line above 99, then 400 VALIDATION_ERROR and the line keeps its quantity', async () => {
      const product = await f.product({ stock: 500 });
      const { token } = await f.customer();
      await add(token, { productId: product.productId, quantity: 60 });

      const response = await add(token, { productId: product.productId, quantity: 40 });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      expect(response.body.error.details.fields.map((field: { field: string }) => field.field)).to.deep.equal(['quantity']);
      expect((await cartOf(token)).items.map((i: { quantity: number }) => i.quantity)).to.deep.equal([60]);
    });
  });

  it('when 20 adds of one item of the same variant run at once, then one line of 20 and 20 cart.item-added', async () => {
    const product = await f.product({ stock: 100 });
    const { token } = await f.customer();

    const responses = await Promise.all(Array.from({ length: 20 }, () => add(token, { productId: product.productId, quantity: 1 })));

    expect(responses.map((r) => r.status)).to.deep.equal(Array.from({ length: 20 }, () => 201));
    const cart = await cartOf(token);
    expect(cart.items).to.have.length(1);
    expect(cart.items[0].quantity).to.equal(20);
    const events = await addedEvents(cart.cartId);
    expect(events).to.have.length(20);
    expect(new Set(events.map((e) => e.cartItemId))).to.deep.equal(new Set([cart.items[0].itemId]));
  });
});

describe('POST /cart/items while the inventory service is down', function () {
  this.timeout(30_000);
  let f: CartFixture;
  beforeEach(async () => {
    f = await startCartFixture();
  });
  afterEach(() => f.stop());

  /** A customer whose cart already holds a line, and a second product to add. */
  async function arrange() {
    const held = await f.product();
    const wanted = await f.product();
    const { token } = await f.customer();
    const added = await f.api.post('/cart/items', { productId: held.productId, quantity: 1 }, { token });
    expect(added.status).to.equal(201);
    return { token, wanted, before: added.body };
  }

  async function assertNothingWritten(token: string, before: { cartId: string }) {
    expect((await f.api.get('/cart', { token })).body).to.deep.equal(before);
    expect((await f.events('cart.item-added')).filter((e) => e.cartId === before.cartId)).to.have.length(1);
  }

  it('when the inventory service answers 503, then 503 SERVICE_UNAVAILABLE at once and nothing written', async () => {
    const { token, wanted, before } = await arrange();
    f.inventory.failWith = 503;

    const started = Date.now();
    const response = await f.api.post('/cart/items', { productId: wanted.productId, quantity: 1 }, { token });
    const tookMs = Date.now() - started;

    expect(response.status).to.equal(503);
    expect(response.body.error.code).to.equal('SERVICE_UNAVAILABLE');
    expect(tookMs).to.be.below(1_000);
    await assertNothingWritten(token, before);
  });

  it('when the inventory service is not running, then 503 SERVICE_UNAVAILABLE at once and nothing written', async () => {
    const { token, wanted, before } = await arrange();
    await f.inventory.close();

    const started = Date.now();
    const response = await f.api.post('/cart/items', { productId: wanted.productId, quantity: 1 }, { token });
    const tookMs = Date.now() - started;

    expect(response.status).to.equal(503);
    expect(response.body.error.code).to.equal('SERVICE_UNAVAILABLE');
    expect(tookMs).to.be.below(1_000);
    await assertNothingWritten(token, before);
  });
});
