import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { orderCancelled, orderDelivered, orderPlaced, type OrderCancelledV1, type OrderDeliveredV1, type OrderPlacedV1 } from '@shop/contracts';
import { sql } from '@shop/db';
import { ADMIN, PASSWORD, startCustomerFixture, type CustomerFixture } from './customer.fixture';
import { hashToken } from '../src/domain/tokens';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const address = { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
const line = { productId: randomUUID(), variantId: randomUUID(), sku: 'MUG-1', name: 'Mug', quantity: 1, unitPrice: usd(1000), lineTotal: usd(1000) };
const orderRef = (orderId: string, version: number) => ({ type: 'order', id: orderId, version });

function placed(customerId: string, email: string, orderId = randomUUID()): OrderPlacedV1 {
  return {
    orderId,
    orderNumber: `ORD-2026-${orderId.slice(0, 6)}`,
    customerId,
    email,
    lineItems: [line],
    subtotal: usd(1000),
    shippingCost: usd(0),
    tax: usd(0),
    totalAmount: usd(1000),
    shippingAddress: address,
    placedAt: new Date().toISOString(),
  };
}

const delivered = (order: OrderPlacedV1): OrderDeliveredV1 => ({ orderId: order.orderId, orderNumber: order.orderNumber, customerId: order.customerId, deliveredAt: new Date().toISOString() });

const cancelled = (order: OrderPlacedV1): OrderCancelledV1 => ({
  orderId: order.orderId,
  orderNumber: order.orderNumber,
  customerId: order.customerId,
  reason: 'changed my mind',
  lineItems: order.lineItems,
  refundAmount: order.totalAmount,
  cancelledBy: null,
  cancelledAt: new Date().toISOString(),
});

describe('customer service: erasure (DELETE /customers/me)', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

  const erase = (token: string | undefined, body: unknown = { confirmation: true }) => f.api.delete('/customers/me', { token, body });

  /** Publishes order.placed for the customer and waits until the service has taken it in. */
  async function orderPlacedFor(customer: { customerId: string; email: string }) {
    const order = placed(customer.customerId, customer.email);
    await f.consumed(await f.publish(orderPlaced, order, orderRef(order.orderId, 1)));
    return order;
  }

  const trackedState = async (orderId: string) =>
    (await f.service.deps.db.selectFrom('customer_orders').select('state').where('order_id', '=', orderId).executeTakeFirst())?.state;

  describe('validation and authentication', () => {
    it('when the body is not exactly {confirmation: true}, then 400 VALIDATION_ERROR and nothing is erased', async () => {
      const { accessToken } = await f.signedInCustomer();
      const bodies = [{}, { confirmation: false }, { confirmation: 'true' }, { confirmation: 1 }, { confirmation: null }, { confirmation: true, also: 'this' }];
      const responses = [await f.api.delete('/customers/me', { token: accessToken }), ...(await Promise.all(bodies.map((body) => erase(accessToken, body))))];
      for (const [i, response] of responses.entries()) {
        expect(response.status, JSON.stringify(bodies[i - 1] ?? 'no body')).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
      expect((await f.api.get('/customers/me', { token: accessToken })).status).to.equal(200);
    });

    it('when there is no token, then 401 UNAUTHORIZED', async () => {
      const response = await erase(undefined);
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });

    it('when the admin asks to erase their own account, then 403 FORBIDDEN and the account stays', async () => {
      const token = await f.adminToken();
      const response = await erase(token);
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('FORBIDDEN');
      expect((await f.api.get('/customers/me', { token })).body).to.include({ email: ADMIN.email, role: 'admin' });
    });
  });

  describe('open orders, as the order events tell them', () => {
    it('when an order was placed and is not delivered or cancelled, then 409 PENDING_ORDERS_EXIST naming it, and nothing is erased', async () => {
      const customer = await f.signedInCustomer();
      const order = await orderPlacedFor(customer);

      const response = await erase(customer.accessToken);

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('PENDING_ORDERS_EXIST');
      expect(response.body.error.details.orderIds).to.deep.equal([order.orderId]);
      expect((await f.api.get('/customers/me', { token: customer.accessToken })).status).to.equal(200);
      expect((await f.events('customer.data-erased')).filter((e) => e.data.customerId === customer.customerId)).to.deep.equal([]);
    });

    it('when every order was delivered or cancelled, then the erasure goes ahead: 204', async () => {
      const customer = await f.signedInCustomer();
      const first = await orderPlacedFor(customer);
      const second = await orderPlacedFor(customer);
      await f.consumed(await f.publish(orderDelivered, delivered(first), orderRef(first.orderId, 4)));
      expect((await erase(customer.accessToken)).status, 'one order still open').to.equal(409);
      await f.consumed(await f.publish(orderCancelled, cancelled(second), orderRef(second.orderId, 2)));

      expect((await erase(customer.accessToken)).status).to.equal(204);
    });

    it('when an order.delivered arrives before its order.placed, then the late order.placed does not reopen the order and erasure is allowed', async () => {
      const customer = await f.signedInCustomer();
      const order = placed(customer.customerId, customer.email);

      await f.consumed(await f.publish(orderDelivered, delivered(order), orderRef(order.orderId, 4)));
      await f.consumed(await f.publish(orderPlaced, order, orderRef(order.orderId, 1)));

      expect(await trackedState(order.orderId)).to.equal('closed');
      expect((await erase(customer.accessToken)).status).to.equal(204);
    });

    it('when a late order.placed carries no newer version than the cancellation (the inbox cannot tell it is stale), then the order stays closed all the same', async () => {
      const customer = await f.signedInCustomer();
      const order = placed(customer.customerId, customer.email);

      await f.consumed(await f.publish(orderCancelled, cancelled(order), orderRef(order.orderId, 1)));
      await f.consumed(await f.publish(orderPlaced, order, orderRef(order.orderId, 1)));

      expect(await trackedState(order.orderId)).to.equal('closed');
      expect((await erase(customer.accessToken)).status).to.equal(204);
    });

    it('when an order.placed is delivered again after the order was cancelled, then the redelivery changes nothing and the order stays closed', async () => {
      const customer = await f.signedInCustomer();
      const order = placed(customer.customerId, customer.email);
      const placedEvent = await f.publish(orderPlaced, order, orderRef(order.orderId, 1));
      await f.consumed(placedEvent);
      await f.consumed(await f.publish(orderCancelled, cancelled(order), orderRef(order.orderId, 2)));

      await f.redeliver(placedEvent);
      // One queue, handled in order: once a later event is in, the redelivery was handled before it.
      const later = placed(randomUUID(), 'someone@example.com');
      await f.consumed(await f.publish(orderPlaced, later, orderRef(later.orderId, 1)));

      expect(await trackedState(order.orderId)).to.equal('closed');
      expect((await erase(customer.accessToken)).status).to.equal(204);
    });

    it('when order events come for an erased customer, then they are not followed', async () => {
      const customer = await f.signedInCustomer();
      expect((await erase(customer.accessToken)).status).to.equal(204);

      const order = await orderPlacedFor(customer);

      expect(await trackedState(order.orderId)).to.equal(undefined);
    });
  });

  describe('what an erasure does', () => {
    it('when a customer is erased, then 204, their row, addresses, sessions, tokens and login limits are gone, a tombstone of id and time is left, and the e-mail can register again', async () => {
      const customer = await f.signedInCustomer();
      const { db } = f.service.deps;
      expect((await f.api.post('/customers/me/addresses', address, { token: customer.accessToken })).status).to.equal(201);
      expect((await f.api.post('/auth/login', { email: customer.email, password: 'wrong-password-1' })).status).to.equal(401);
      const emailHash = hashToken(customer.email);
      expect(await db.selectFrom('login_failures').select('failures').where('email_hash', '=', emailHash).execute(), 'a failed login counted').to.have.length(1);
      expect(await db.selectFrom('verification_mails').select('sent_at').where('email_hash', '=', emailHash).execute(), 'the registration mail counted').to.have.length(1);

      const response = await erase(customer.accessToken);

      expect(response.status).to.equal(204);
      expect(response.body).to.equal(undefined);
      for (const table of ['customers', 'addresses', 'sessions', 'verification_tokens'] as const) {
        const column = table === 'customers' ? 'id' : 'customer_id';
        const { rows } = await sql`SELECT 1 FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${customer.customerId}`.execute(db);
        expect(rows, table).to.have.length(0);
      }
      expect(await db.selectFrom('login_failures').select('failures').where('email_hash', '=', emailHash).execute()).to.have.length(0);
      expect(await db.selectFrom('verification_mails').select('sent_at').where('email_hash', '=', emailHash).execute()).to.have.length(0);
      const tombstone = await db.selectFrom('erased_customers').selectAll().where('customer_id', '=', customer.customerId).executeTakeFirstOrThrow();
      expect(Object.keys(tombstone).sort()).to.deep.equal(['customer_id', 'erased_at']);

      const again = await f.api.post('/customers', { email: customer.email, password: PASSWORD, firstName: 'Ada', lastName: 'Again' });
      expect(again.status).to.equal(201);
      expect(again.body.customerId).not.to.equal(customer.customerId);
    });

    it('when a customer is erased, then their old access and refresh tokens are refused and the old password no longer logs in', async () => {
      const customer = await f.signedInCustomer();
      const other = await f.login(customer.email);

      expect((await erase(customer.accessToken)).status).to.equal(204);

      for (const token of [customer.accessToken, other.accessToken]) {
        const me = await f.api.get('/customers/me', { token });
        expect(me.status).to.equal(401);
        expect(me.body.error.code).to.equal('UNAUTHORIZED');
      }
      for (const refreshToken of [customer.refreshToken, other.refreshToken]) {
        const refreshed = await f.api.post('/auth/refresh', { refreshToken });
        expect(refreshed.status).to.equal(401);
        expect(refreshed.body.error.code).to.equal('INVALID_TOKEN');
      }
      const login = await f.api.post('/auth/login', { email: customer.email, password: PASSWORD });
      expect(login.status).to.equal(401);
      expect(login.body.error.code).to.equal('INVALID_CREDENTIALS');
    });

    it('when a customer is erased, then customer.sessions-invalidated (every session) and customer.data-erased are published, and the gateway\'s invalidation list names the customer', async () => {
      const since = new Date(Date.now() - 1_000).toISOString();
      const customer = await f.signedInCustomer();

      expect((await erase(customer.accessToken)).status).to.equal(204);

      const [invalidated] = (await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customer.customerId);
      expect(invalidated?.data).to.include({ reason: 'erased' });
      expect(invalidated?.data).not.to.have.property('sessionIds');
      const erased = (await f.events('customer.data-erased')).filter((e) => e.data.customerId === customer.customerId);
      expect(erased).to.have.length(1);
      const data = erased[0]!.data;
      expect(data).to.include({ email: customer.email, firstName: 'Ada' });
      expect(data.anonymizedId).to.be.a('string').that.does.not.equal(customer.customerId);
      expect(new Date(data.erasedAt).getTime()).to.equal(new Date(invalidated!.data.notBefore).getTime());
      const envelope = f.tap.events('customer.data-erased').find((e) => e.id === erased[0]!.id);
      expect(envelope?.aggregate).to.include({ type: 'customer', id: customer.customerId });

      const list = await f.api.get(`/internal/sessions/invalidations?since=${encodeURIComponent(since)}`);
      expect(list.body.items).to.deep.include({ customerId: customer.customerId, notBefore: data.erasedAt });
    });

    it('when two erasures of one customer race, then one answers 204, the other 401, and customer.data-erased is published once', async () => {
      const customer = await f.signedInCustomer();

      const responses = await Promise.all([erase(customer.accessToken), erase(customer.accessToken)]);

      expect(responses.map((r) => r.status).sort()).to.deep.equal([204, 401]);
      expect((await f.events('customer.data-erased')).filter((e) => e.data.customerId === customer.customerId)).to.have.length(1);
    });
  });
});
