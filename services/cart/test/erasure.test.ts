import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { customerDataErased, type CustomerDataErasedV1 } from '@shop/contracts';
import { startCartFixture, type CartFixture } from './cart.fixture';

describe('cart service: erasure (customer.data-erased)', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  const erased = (customerId: string): CustomerDataErasedV1 => ({ customerId, anonymizedId: randomUUID(), erasedAt: new Date().toISOString(), email: 'ada@example.com', firstName: 'Ada' });
  const publishErased = (customerId: string) => f.publish(customerDataErased, erased(customerId), { type: 'customer', id: customerId, version: 5 });

  /** A customer whose cart has a line and a removed (restorable) line. */
  async function customerWithCart() {
    const { customerId, token } = await f.customer();
    const [kept, removed] = [await f.product(), await f.product()];
    await f.api.post('/cart/items', { productId: kept.productId, quantity: 2 }, { token });
    const added = await f.api.post('/cart/items', { productId: removed.productId, quantity: 1 }, { token });
    const removedItem = added.body.items.find((i: { productId: string }) => i.productId === removed.productId);
    expect((await f.api.delete(`/cart/items/${removedItem.itemId}`, { token })).status).to.equal(200);
    return { customerId, token, cartId: added.body.cartId as string };
  }

  async function rowsOf(cartId: string) {
    const { db } = f.service.deps;
    const [carts, items, removed] = await Promise.all([
      db.selectFrom('carts').select('id').where('id', '=', cartId).execute(),
      db.selectFrom('cart_items').select('id').where('cart_id', '=', cartId).execute(),
      db.selectFrom('removed_cart_items').select('id').where('cart_id', '=', cartId).execute(),
    ]);
    return { carts: carts.length, items: items.length, removed: removed.length };
  }

  it("when a customer's data is erased, then their cart is deleted with its lines and removed lines, and other customers' carts stay", async () => {
    const erasedCustomer = await customerWithCart();
    const other = await customerWithCart();
    expect(await rowsOf(erasedCustomer.cartId)).to.deep.equal({ carts: 1, items: 1, removed: 1 });

    await f.consumed(await publishErased(erasedCustomer.customerId));

    expect(await rowsOf(erasedCustomer.cartId)).to.deep.equal({ carts: 0, items: 0, removed: 0 });
    expect(await f.service.deps.db.selectFrom('carts').select('id').where('customer_id', '=', erasedCustomer.customerId).execute()).to.deep.equal([]);
    expect(await rowsOf(other.cartId)).to.deep.equal({ carts: 1, items: 1, removed: 1 });
  });

  it('when the event is delivered again, or comes for a customer without a cart, then nothing fails and nothing else changes', async () => {
    const erasedCustomer = await customerWithCart();
    const other = await customerWithCart();
    const event = await publishErased(erasedCustomer.customerId);
    await f.consumed(event);

    await f.redeliver(event);
    // One queue, handled in order: once a later event is in, the redelivery was handled before it.
    await f.consumed(await publishErased(randomUUID()));
    await f.consumed(await publishErased(erasedCustomer.customerId));

    expect(await rowsOf(erasedCustomer.cartId)).to.deep.equal({ carts: 0, items: 0, removed: 0 });
    expect(await rowsOf(other.cartId)).to.deep.equal({ carts: 1, items: 1, removed: 1 });
  });
});
