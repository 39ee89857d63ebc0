import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { customerDataErased, routingKeyOf, type CustomerDataErasedV1, type EventEnvelope } from '@shop/contracts';
import { sql } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { eventually, testAmqpUrl, testLogger } from '@shop/testkit';
import { cardPayment, HOME, startOrderFixture, type Buyer, type OrderFixture } from './order.fixture';

const ELSEWHERE = { recipientName: 'Ada Byron', street: '7 Difference Road', city: 'Chicago', state: 'IL', postalCode: '60601', country: 'US' };
const BLANK_ADDRESS = { recipientName: '', street: '', city: '', state: '', postalCode: '', country: 'US' };

describe('order service: erasure (customer.data-erased)', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  let admin: string;
  let redelivery: Broker;
  before(async () => {
    f = await startOrderFixture();
    admin = await f.issuer.token({ role: 'admin', customerId: randomUUID() });
    redelivery = connectBroker({ url: await testAmqpUrl(), name: 'order-erasure-test-redelivery', logger: testLogger('order-erasure-test') });
    await eventually(() => redelivery.isConnected(), 10_000, 'broker connection');
  });
  after(async () => {
    await redelivery.close();
    await f.stop();
  });

  /** Places an order from the buyer's cart (filled again first, as a shopper would), to their saved address unless another is given. */
  async function placed(buyer: Buyer, shippingAddress?: typeof HOME) {
    const cart = f.fake.carts.get(buyer.customerId)!;
    cart.items = buyer.lines.map((l) => ({ ...l }));
    cart.version += 1;
    const body = shippingAddress ? { shippingAddress, payment: cardPayment() } : buyer.order();
    const response = await f.api.post('/orders', body, { token: buyer.token, headers: { 'idempotency-key': randomUUID() } });
    expect(response.status).to.equal(201);
    return response.body as { orderId: string };
  }

  const erasure = (customerId: string): CustomerDataErasedV1 => ({
    customerId,
    anonymizedId: randomUUID(),
    erasedAt: new Date().toISOString(),
    email: `${customerId.slice(0, 8)}@example.com`,
    firstName: 'Ada',
  });

  async function consumed(event: EventEnvelope) {
    await eventually(async () => (await sql`SELECT 1 FROM inbox WHERE event_id = ${event.id}`.execute(f.db)).rows.length > 0, 10_000, `${event.type} consumed`);
  }

  async function erased(customerId: string) {
    const data = erasure(customerId);
    const event = await f.publish(customerDataErased, data, { type: 'customer', id: customerId, version: 3 });
    await consumed(event);
    return { data, event };
  }

  const details = async (orderId: string) => (await f.api.get(`/admin/orders/${orderId}`, { token: admin })).body;
  const checkoutsOf = (customerId: string) => f.db.selectFrom('checkouts').selectAll().where('customer_id', '=', customerId).execute();

  it('when a customer is erased, then their orders keep lines, totals and payment but lose the e-mail and the address, and go by the anonymous id', async () => {
    const buyer = await f.buyer({ prices: [1250, 3000], quantities: [2, 1] });
    const saved = await placed(buyer);
    const inline = await placed(buyer, ELSEWHERE);
    const before = await Promise.all([details(saved.orderId), details(inline.orderId)]);
    expect(before[0]).to.include({ customerId: buyer.customerId, email: `${buyer.customerId.slice(0, 8)}@example.com` });

    const { data } = await erased(buyer.customerId);

    for (const [i, orderId] of [saved.orderId, inline.orderId].entries()) {
      const after = await details(orderId);
      const { customerId, email, shippingAddress, statusHistory, ...kept } = after;
      const { customerId: _c, email: _e, shippingAddress: _s, statusHistory: beforeHistory, ...keptBefore } = before[i];
      expect(kept, 'lines, totals, payment and status as they were').to.deep.equal(keptBefore);
      expect({ customerId, email, shippingAddress }).to.deep.equal({ customerId: data.anonymizedId, email: '', shippingAddress: BLANK_ADDRESS });
      expect(statusHistory.map((h: { by: string }) => h.by)).to.deep.equal(beforeHistory.map((h: { by: string }) => (h.by === buyer.customerId ? data.anonymizedId : h.by)));
      expect(JSON.stringify(statusHistory)).not.to.include(buyer.customerId);
    }
    expect((await f.api.get('/orders', { token: buyer.token })).body.total, 'nothing goes by the erased id').to.equal(0);
    const anonymous = await f.issuer.token({ customerId: data.anonymizedId });
    expect((await f.api.get('/orders', { token: anonymous })).body.items.map((o: { orderId: string }) => o.orderId).sort()).to.deep.equal([saved.orderId, inline.orderId].sort());
  });

  it("when a customer is erased, then their checkouts' journals and stored answers keep no name, e-mail or address", async () => {
    const buyer = await f.buyer();
    const saved = await placed(buyer);
    const inline = await placed(buyer, ELSEWHERE);
    expect(await checkoutsOf(buyer.customerId)).to.have.length(2);

    const { data } = await erased(buyer.customerId);

    expect(await checkoutsOf(buyer.customerId)).to.deep.equal([]);
    const checkouts = await checkoutsOf(data.anonymizedId);
    expect(checkouts.map((c) => c.id).sort()).to.deep.equal([saved.orderId, inline.orderId].sort());
    for (const checkout of checkouts) {
      const stored = JSON.stringify([checkout.context, checkout.answer_body]);
      for (const personal of [buyer.customerId, `${buyer.customerId.slice(0, 8)}@example.com`, 'Ada', 'Lovelace', HOME.street, ELSEWHERE.street, 'Springfield', 'Chicago', HOME.postalCode, ELSEWHERE.postalCode]) {
        expect(stored, personal).not.to.include(personal);
      }
      expect(checkout.request_hash).to.equal(null);
      const context = checkout.context as Record<string, any>;
      expect(context).to.deep.include({ orderId: checkout.id, customerId: data.anonymizedId });
      expect(context.customer).to.deep.equal({ customerId: data.anonymizedId, email: '', firstName: '', lastName: '', shippingAddress: BLANK_ADDRESS });
      expect(context.cart.lines, 'what was bought stays').to.have.length(buyer.lines.length);
      expect((checkout.answer_body as Record<string, any>).shippingAddress).to.deep.equal(BLANK_ADDRESS);
    }
    const inlineContext = checkouts.find((c) => c.id === inline.orderId)!.context as Record<string, any>;
    expect(inlineContext.shipping).to.deep.equal({ shippingAddress: BLANK_ADDRESS });
  });

  it("when a customer is erased, then other customers' orders are untouched", async () => {
    const erasedBuyer = await f.buyer();
    const other = await f.buyer();
    await placed(erasedBuyer);
    const theirs = await placed(other);
    const before = await details(theirs.orderId);

    await erased(erasedBuyer.customerId);

    expect(await details(theirs.orderId)).to.deep.equal(before);
  });

  it('when the erasure is delivered again, or a later one comes for the same customer, then nothing changes a second time', async () => {
    const buyer = await f.buyer();
    const order = await placed(buyer);
    const { data, event } = await erased(buyer.customerId);
    const once = await details(order.orderId);
    const row = await f.db.selectFrom('orders').select(['updated_at', 'version']).where('id', '=', order.orderId).executeTakeFirstOrThrow();

    await redelivery.publish([{ routingKey: routingKeyOf(event), envelope: event as EventEnvelope }]);
    await erased(buyer.customerId);

    expect(await details(order.orderId)).to.deep.equal(once);
    expect(once.customerId).to.equal(data.anonymizedId);
    expect(await f.db.selectFrom('orders').select(['updated_at', 'version']).where('id', '=', order.orderId).executeTakeFirstOrThrow()).to.deep.equal(row);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE event_id = ${event.id}`.execute(f.db);
    expect(rows[0]?.n).to.equal(1);
  });
});
