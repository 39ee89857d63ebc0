import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import type { FakeRoute } from './fake-services';
import { startOrderProcessFixture, type OrderProcessFixture } from './order.fixture';

/**
 * The order service is killed (SIGKILL) in the middle of a checkout, at the step named, and started
 * again: its recovery worker must undo what happened before the order existed, or finish what is
 * left after it, and leave nothing over.
 */
describe('order service: a crash in the middle of a checkout', function () {
  this.timeout(60_000);
  let f: OrderProcessFixture;
  before(async () => {
    f = await startOrderProcessFixture();
  });
  after(() => f.stop());

  /** Starts a checkout, crashes the service while it waits on `route`, and starts the service again. */
  async function crashAt(route: FakeRoute, options: { stock?: number } = {}) {
    const buyer = await f.buyer({ stock: options.stock ?? 5 });
    const key = randomUUID();
    f.fake.hanging.add(route);
    const before = f.fake.callsOf(route).length;
    const request = f.api.post('/orders', buyer.order(), { token: buyer.token, headers: { 'idempotency-key': key } }).catch((err: unknown) => err);
    await eventually(() => f.fake.callsOf(route).length > before, 10_000, `the checkout to reach ${route}`);
    const orderId = f.fake.callsOf(route).at(-1)!.split(' ')[1]!;
    await f.crash();
    await request;
    f.fake.hanging.delete(route);
    await f.restart();
    return { buyer, orderId, key };
  }

  it('when it crashes after reserving, while authorizing, then recovery releases the stock and voids whatever the payment became; no order exists', async () => {
    const { buyer, orderId } = await crashAt('authorize');

    await eventually(async () => (await f.checkout(orderId))?.status === 'compensated', 20_000, 'the checkout undone');

    expect(f.fake.reservations.get(orderId)?.status).to.equal('released');
    expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(5);
    expect(f.fake.callsOf('void')).to.include(`void ${orderId}`);
    expect((await f.api.get('/orders', { token: buyer.token })).body.total).to.equal(0);
    expect(await f.db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst()).to.equal(undefined);
  });

  it('when it crashes after authorizing, while committing the stock, then recovery voids the payment and releases the stock', async () => {
    const { buyer, orderId } = await crashAt('commit');

    await eventually(async () => (await f.checkout(orderId))?.status === 'compensated', 20_000, 'the checkout undone');

    expect(f.fake.payments.get(orderId)?.status).to.equal('voided');
    expect(f.fake.reservations.get(orderId)?.status).to.equal('released');
    expect(f.fake.stock.get(buyer.lines[1]!.variantId)).to.equal(5);
    expect((await f.api.get('/orders', { token: buyer.token })).body.total).to.equal(0);
  });

  it('when it crashes after the order exists, while clearing the cart, then recovery clears the cart, the order stands, and the same key answers with it', async () => {
    const { buyer, orderId, key } = await crashAt('clear');

    await eventually(async () => (await f.checkout(orderId))?.status === 'completed', 20_000, 'the checkout finished');

    expect(f.fake.carts.get(buyer.customerId)!.items).to.deep.equal([]);
    expect(f.fake.payments.get(orderId)?.status).to.equal('authorized');
    expect(f.fake.reservations.get(orderId)?.status).to.equal('committed');
    const orders = (await f.api.get('/orders', { token: buyer.token })).body;
    expect(orders.items.map((o: { orderId: string; status: string }) => [o.orderId, o.status])).to.deep.equal([[orderId, 'PENDING']]);
    // The crashed process held the outbox relay's lease: its successor publishes once the lease runs out.
    expect((await f.events('order.placed', 20_000)).filter((e) => e.orderId === orderId)).to.have.length(1);
    const again = await f.api.post('/orders', buyer.order(), { token: buyer.token, headers: { 'idempotency-key': key } });
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(orders.items[0]);
  });

  it('when the customer checks out again after a crash undid their checkout, then it works', async () => {
    const { buyer } = await crashAt('reserve');
    await eventually(async () => {
      const response = await f.api.post('/orders', buyer.order(), { token: buyer.token });
      return response.status === 201 ? response : undefined;
    }, 20_000, 'a new checkout to go through once the crashed one is undone');
  });
});
