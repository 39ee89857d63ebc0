import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  customerRegistered,
  inventoryStockChanged,
  productActivated,
  productCreated,
  productDeactivated,
  productDeleted,
  productUpdated,
  type ProductCreatedV1,
  type ProductUpdatedV1,
  type StockStatus,
} from '@shop/contracts';
import { startCartFixture, type CartFixture } from './cart.fixture';

describe('read models fed by events', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const productRef = (productId: string, version: number) => ({ type: 'product', id: productId, version });
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const cartOf = async (owner: { token: string } | { headers: Record<string, string> }) => (await f.api.get('/cart', owner)).body;
  const lineOf = (cart: { items: Array<{ variantId: string }> }, variantId: string) => cart.items.find((i) => i.variantId === variantId) as Record<string, any>;

  /** A product.updated payload: the product's name and price after the update, and its variants at `prices`. */
  function update(product: ProductCreatedV1, changes: { name?: string; price?: number; prices?: number[] }): ProductUpdatedV1 {
    const price = usd(changes.price ?? product.price.amount);
    return {
      productId: product.productId,
      name: changes.name ?? product.name,
      price,
      changedFields: { ...(changes.name && { name: changes.name }), ...(changes.price && { price }) },
      variants: product.variants.map((v, i) => ({ ...v, price: usd(changes.prices?.[i] ?? price.amount) })),
      updatedBy: randomUUID(),
      updatedAt: new Date().toISOString(),
    };
  }

  async function customerWith(...lines: Array<{ productId: string; variantId?: string; quantity: number }>) {
    const { customerId, token } = await f.customer();
    for (const line of lines) expect((await f.api.post('/cart/items', line, { token })).status).to.equal(201);
    return { customerId, token };
  }

  async function stockChanged(product: ProductCreatedV1, stockStatus: StockStatus, stockVersion: number) {
    const variantId = product.variants[0]!.variantId;
    const available = stockStatus === 'out_of_stock' ? 0 : 8;
    const envelope = await f.publish(
      inventoryStockChanged,
      { inventoryId: randomUUID(), variantId, productId: product.productId, onHand: available, reserved: 0, available, lowStockThreshold: 2, stockStatus, stockVersion, changedAt: new Date().toISOString() },
      { type: 'stock', id: variantId, version: stockVersion },
    );
    await f.consumed(envelope);
  }

  describe('product.updated', () => {
    it("when the price changes, then GET /cart shows the current unit price at once, a variant's own price winning", async () => {
      const product = await f.product({ variants: 2, price: 1000 });
      const [plain, own] = product.variants as [ProductCreatedV1['variants'][0], ProductCreatedV1['variants'][0]];
      const { token } = await customerWith({ productId: product.productId, variantId: plain.variantId, quantity: 2 }, { productId: product.productId, variantId: own.variantId, quantity: 1 });

      await f.consumed(await f.publish(productUpdated, update(product, { name: 'Teapot, renamed', price: 2000, prices: [2000, 1750] }), productRef(product.productId, 2)));

      const cart = await cartOf({ token });
      expect(lineOf(cart, plain.variantId)).to.deep.include({ productName: 'Teapot, renamed', unitPrice: usd(2000), subtotal: usd(4000) });
      expect(lineOf(cart, own.variantId)).to.deep.include({ unitPrice: usd(1750), subtotal: usd(1750) });
      expect(cart.total).to.deep.equal(usd(5750));
    });

    it('when a product.updated comes before its product.created, then it is applied once the creation arrives', async () => {
      const data = f.productData({ price: 1200 });
      const early = await f.publish(productUpdated, update(data, { name: 'Teapot, the final name', price: 1300 }), productRef(data.productId, 2));
      await new Promise((resolve) => setTimeout(resolve, 150));

      await f.consumed(await f.publish(productCreated, data, productRef(data.productId, 1)));
      await f.consumed(early);

      const { token } = await customerWith({ productId: data.productId, quantity: 1 });
      expect((await cartOf({ token })).items[0]).to.deep.include({ productName: 'Teapot, the final name', unitPrice: usd(1300) });
    });

    it('when the same envelope is delivered twice, then it is applied once (a later update is not undone)', async () => {
      const product = await f.product({ price: 1000 });
      const { token } = await customerWith({ productId: product.productId, quantity: 1 });
      const first = await f.publish(productUpdated, update(product, { price: 2000 }), productRef(product.productId, 2));
      await f.consumed(first);
      await f.consumed(await f.publish(productUpdated, update(product, { price: 2500 }), productRef(product.productId, 3)));

      await f.redeliver(first);
      // Published after the duplicate on the same queue: once it is in, the duplicate has been handled.
      await f.product();

      expect((await cartOf({ token })).items[0].unitPrice).to.deep.equal(usd(2500));
    });
  });

  describe('product.deactivated and product.activated', () => {
    it('when a product is deactivated, then its line stays, not available and out of the total; activated again, it is back in', async () => {
      const off = await f.product({ price: 1000 });
      const on = await f.product({ price: 300 });
      const { token } = await customerWith({ productId: off.productId, quantity: 2 }, { productId: on.productId, quantity: 1 });
      const variantIds = off.variants.map((v) => v.variantId);

      await f.consumed(await f.publish(productDeactivated, { productId: off.productId, variantIds, deactivatedBy: null, deactivatedAt: new Date().toISOString() }, productRef(off.productId, 2)));

      const inactive = await cartOf({ token });
      expect(lineOf(inactive, variantIds[0]!)).to.include({ available: false, quantity: 2 });
      expect(lineOf(inactive, on.variants[0]!.variantId)).to.include({ available: true });
      expect(inactive.itemCount).to.equal(3);
      expect(inactive.total).to.deep.equal(usd(300));

      await f.consumed(await f.publish(productActivated, { productId: off.productId, variantIds, activatedBy: null, activatedAt: new Date().toISOString() }, productRef(off.productId, 3)));

      const active = await cartOf({ token });
      expect(lineOf(active, variantIds[0]!)).to.include({ available: true });
      expect(active.total).to.deep.equal(usd(2300));
    });
  });

  describe('product.deleted', () => {
    it('when a product is deleted, then its lines leave every cart holding it with cart.item-removed (product-deleted), and it cannot be added again', async () => {
      const doomed = await f.product({ stock: 20 });
      const kept = await f.product();
      const customer = await customerWith({ productId: doomed.productId, quantity: 2 }, { productId: kept.productId, quantity: 1 });
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: doomed.productId, quantity: 3 }, { headers: guest.headers });
      const customerCart = await cartOf({ token: customer.token });

      await f.consumed(
        await f.publish(
          productDeleted,
          { productId: doomed.productId, variantIds: doomed.variants.map((v) => v.variantId), deletedBy: null, deletedAt: new Date().toISOString() },
          productRef(doomed.productId, 2),
        ),
      );

      const after = await cartOf({ token: customer.token });
      expect(after.items.map((i: { productId: string }) => i.productId)).to.deep.equal([kept.productId]);
      expect((await cartOf({ headers: guest.headers })).items).to.deep.equal([]);
      const removed = (await f.events('cart.item-removed')).filter((e) => e.productId === doomed.productId);
      expect(removed.map((e) => [e.cartId, e.reason]).sort()).to.deep.equal(
        [
          [customerCart.cartId, 'product-deleted'],
          [guest.cartId, 'product-deleted'],
        ].sort(),
      );
      const again = await f.api.post('/cart/items', { productId: doomed.productId, quantity: 1 }, { token: customer.token });
      expect([again.status, again.body.error.code]).to.deep.equal([409, 'PRODUCT_INACTIVE']);
    });
  });

  describe('inventory.stock-changed', () => {
    it('when a variant goes out of stock, then its line shows available: false and leaves the total', async () => {
      const product = await f.product({ price: 800 });
      const { token } = await customerWith({ productId: product.productId, quantity: 2 });

      await stockChanged(product, 'out_of_stock', 2);

      const cart = await cartOf({ token });
      expect(cart.items[0]).to.include({ available: false, quantity: 2 });
      expect(cart.total).to.deep.equal(usd(0));
    });

    it('when an older stock level arrives after a newer one, then it changes nothing; a newer one still does', async () => {
      const product = await f.product();
      const { token } = await customerWith({ productId: product.productId, quantity: 1 });
      await stockChanged(product, 'out_of_stock', 5);

      await stockChanged(product, 'in_stock', 3);

      expect((await cartOf({ token })).items[0].available).to.equal(false);
      await stockChanged(product, 'in_stock', 6);
      expect((await cartOf({ token })).items[0].available).to.equal(true);
    });
  });

  describe('customer.registered', () => {
    it("when a customer registers, then the customer's cart exists and GET /cart answers with it", async () => {
      const { customerId, token } = await f.customer();
      const now = new Date();

      await f.consumed(
        await f.publish(
          customerRegistered,
          {
            customerId,
            email: `c-${customerId.slice(0, 8)}@example.com`,
            firstName: 'Ada',
            lastName: 'Lovelace',
            verificationUrl: 'http://shop.example/verify?token=t',
            verificationToken: 't',
            verificationExpiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
            registeredAt: now.toISOString(),
          },
          { type: 'customer', id: customerId, version: 1 },
        ),
      );

      const stored = await f.service.deps.db.selectFrom('carts').select('id').where('customer_id', '=', customerId).executeTakeFirst();
      expect(stored).to.not.equal(undefined);
      const response = await f.api.get('/cart', { token });
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ cartId: stored!.id, items: [], itemCount: 0 });
    });
  });
});
