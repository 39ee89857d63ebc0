import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { paymentCaptured, paymentFailed } from '@shop/contracts';
import { sql } from '@shop/db';
import { eventually } from '@shop/testkit';
import { startOrderFixture, usd, type Buyer, type OrderFixture } from './order.fixture';

describe('order service: orders after checkout', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  before(async () => {
    f = await startOrderFixture();
  });
  after(() => f.stop());

  async function placedOrder(buyer?: Buyer) {
    const who = buyer ?? (await f.buyer());
    // Each order empties the cart: fill it again with the same lines, as a shopper would.
    const cart = f.fake.carts.get(who.customerId)!;
    cart.items = who.lines.map((l) => ({ ...l }));
    cart.version += 1;
    const response = await f.api.post('/orders', who.order(), { token: who.token });
    expect(response.status).to.equal(201);
    return { buyer: who, order: response.body };
  }

  const orderOf = async (token: string, orderId: string) => (await f.api.get(`/orders/${orderId}`, { token })).body;

  describe('GET /orders', () => {
    it("when a customer has orders, then theirs only, newest first, a page at a time", async () => {
      const { buyer, order: first } = await placedOrder();
      const { order: second } = await placedOrder(buyer);
      const { order: third } = await placedOrder(buyer);
      await placedOrder();

      const page1 = await f.api.get('/orders?page=1&pageSize=2', { token: buyer.token });
      const page2 = await f.api.get('/orders?page=2&pageSize=2', { token: buyer.token });

      expect(page1.status).to.equal(200);
      expect(page1.body).to.deep.include({ page: 1, pageSize: 2, total: 3 });
      expect(page1.body.items.map((o: { orderId: string }) => o.orderId)).to.deep.equal([third.orderId, second.orderId]);
      expect(page2.body.items.map((o: { orderId: string }) => o.orderId)).to.deep.equal([first.orderId]);
      expect(page1.body.items[0]).to.deep.equal(third);
    });

    it('when the customer has none, then an empty page', async () => {
      const buyer = await f.buyer();
      expect((await f.api.get('/orders', { token: buyer.token })).body).to.deep.equal({ items: [], page: 1, pageSize: 20, total: 0 });
    });

    it('when the page is out of range or unauthenticated, then 400 VALIDATION_ERROR, 401 UNAUTHORIZED', async () => {
      const buyer = await f.buyer();
      expect((await f.api.get('/orders?pageSize=101', { token: buyer.token })).body.error.code).to.equal('VALIDATION_ERROR');
      const anonymous = await f.api.get('/orders');
      expect(anonymous.status).to.equal(401);
      expect(anonymous.body.error.code).to.equal('UNAUTHORIZED');
    });
  });

  describe('GET /orders/:id', () => {
    it('when it is theirs, then 200 with the order as placed', async () => {
      const { buyer, order } = await placedOrder();
      const response = await f.api.get(`/orders/${order.orderId}`, { token: buyer.token });
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal(order);
    });

    it("when it is someone else's or unknown, then 404 ORDER_NOT_FOUND; a malformed id, 400", async () => {
      const { order } = await placedOrder();
      const stranger = await f.buyer();
      for (const id of [order.orderId, randomUUID()]) {
        const response = await f.api.get(`/orders/${id}`, { token: stranger.token });
        expect(response.status).to.equal(404);
        expect(response.body.error.code).to.equal('ORDER_NOT_FOUND');
      }
      expect((await f.api.get('/orders/nope', { token: stranger.token })).status).to.equal(400);
    });
  });

  describe('payment events', () => {
    const captured = (orderId: string) => ({
      paymentId: randomUUID(),
      orderId,
      amount: usd(4820),
      authorizationId: 'auth_1',
      paymentMethod: 'card' as const,
      capturedAt: new Date().toISOString(),
    });

    it('when the payment of a PENDING order is captured, then it is CONFIRMED, its payment captured, and order.confirmed published once, even if the event comes twice', async () => {
      const { buyer, order } = await placedOrder();

      const envelope = await f.publish(paymentCaptured, captured(order.orderId), { type: 'payment', id: randomUUID(), version: 3 });
      await eventually(async () => (await orderOf(buyer.token, order.orderId)).status === 'CONFIRMED', 10_000, 'the order confirmed');
      await f.publish(paymentCaptured, envelope.data, envelope.aggregate);

      const confirmed = await orderOf(buyer.token, order.orderId);
      expect(confirmed.payment).to.deep.include({ status: 'captured' });
      const events = (await f.events('order.confirmed')).filter((e) => e.orderId === order.orderId);
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ orderNumber: order.orderNumber, customerId: buyer.customerId, confirmedBy: null });
      const history = await f.db.selectFrom('order_status_history').select(['from_status', 'to_status', 'by', 'reason']).where('order_id', '=', order.orderId).orderBy('id').execute();
      expect(history).to.deep.equal([
        { from_status: null, to_status: 'PENDING', by: buyer.customerId, reason: 'placed' },
        { from_status: 'PENDING', to_status: 'CONFIRMED', by: null, reason: 'payment captured' },
      ]);
    });

    it('when the capture of an order fails, then the order stays PENDING with its payment failed, for an admin', async () => {
      const { buyer, order } = await placedOrder();

      await f.publish(
        paymentFailed,
        { paymentId: randomUUID(), orderId: order.orderId, amount: usd(4820), authorizationId: 'auth_2', paymentMethod: 'card', reason: 'capture_declined', failedAt: new Date().toISOString() },
        { type: 'payment', id: randomUUID(), version: 3 },
      );

      await eventually(async () => (await orderOf(buyer.token, order.orderId)).payment.status === 'failed', 10_000, 'the payment noted as failed');
      expect((await orderOf(buyer.token, order.orderId)).status).to.equal('PENDING');
    });

    it('when a payment event is about no order (an authorization refused at checkout), then nothing happens and nothing is parked', async () => {
      const orderId = randomUUID();
      const before = (await f.events('order.confirmed')).length;

      const capturedEvent = await f.publish(paymentCaptured, captured(orderId), { type: 'payment', id: randomUUID(), version: 2 });
      const failedEvent = await f.publish(
        paymentFailed,
        { paymentId: randomUUID(), orderId, amount: usd(100), paymentMethod: 'card', reason: 'card_declined', failedAt: new Date().toISOString() },
        { type: 'payment', id: randomUUID(), version: 2 },
      );

      const ids = [capturedEvent.id, failedEvent.id];
      const takenIn = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY(${ids}::uuid[])`.execute(f.db)).rows[0]!.n;
      await eventually(async () => (await takenIn()) === 2, 10_000, 'both events taken in');
      expect((await f.events('order.confirmed')).length).to.equal(before);
    });
  });
});
