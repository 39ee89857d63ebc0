import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { card, HOME } from '../e2e/shoppers';
import type { AttackAnswer, AttackRequest } from './attack-client';
import type { AttackContext } from './attack-context';

const KIND = 'IDOR: a second customer, by id';

/**
 * A second customer tries every customer resource of the first by its id (orders, addresses,
 * cart items, payments, the cart itself): 404, never the data. Every answer is searched for
 * anything of the first customer's; each one found counts as leaked.
 */
export function idorAttacks(context: AttackContext): void {
  describe("IDOR: a second customer tries the first one's resources by id", () => {
    const victim = { token: '', email: '', customerId: '', addressId: '', street: '', cartId: '', itemId: '', orderId: '', orderNumber: '', paypalOrderId: '' };
    let intruder: string;

    before(async () => {
      const { shop, tools } = context;
      const product = await tools.productOnSale(1500, 50);
      const buyer = await tools.verifiedCustomer();
      victim.street = `${randomUUID().slice(0, 8)} Hidden Lane`;
      const address = await shop.api.post('/customers/me/addresses', { ...HOME, street: victim.street }, { token: buyer.token });
      Object.assign(victim, { token: buyer.token, email: buyer.email, customerId: buyer.customerId, addressId: address.body.id });
      await tools.addToCart(buyer.token, product.productId);
      const byCard = await shop.api.post('/orders', { shippingAddressId: victim.addressId, payment: card() }, { token: buyer.token });
      await tools.addToCart(buyer.token, product.productId);
      const byPaypal = await shop.api.post('/orders', { shippingAddressId: victim.addressId, payment: { method: 'paypal' } }, { token: buyer.token });
      await tools.addToCart(buyer.token, product.productId, 2);
      const cart = (await shop.api.get('/cart', { token: buyer.token })).body;
      Object.assign(victim, { orderId: byCard.body.orderId, orderNumber: byCard.body.orderNumber, paypalOrderId: byPaypal.body.orderId, cartId: cart.cartId, itemId: cart.items[0].itemId });
      intruder = (await tools.verifiedCustomer()).token;
    });

    /** What of the victim's would give them away in an answer. */
    const victimTraces = () => [victim.email, victim.customerId, victim.addressId, victim.street, victim.orderId, victim.orderNumber, victim.paypalOrderId, victim.itemId, victim.cartId];

    /** One try of the intruder's: the answer, with every trace of the victim counted as leaked. */
    async function intrude(request: Omit<AttackRequest, 'token'>, token = intruder): Promise<AttackAnswer> {
      const row = context.count(KIND);
      row.checks += 1;
      const answer = await context.client.send({ ...request, token });
      // The id the request names is no secret of the answer: the intruder sent it.
      const traces = victimTraces().filter((trace) => trace && answer.text.includes(trace) && !request.path.includes(trace) && !request.body?.includes(trace));
      row.leaks += traces.length;
      expect(traces, `${request.method} ${request.path} answered ${answer.text}`).to.deep.equal([]);
      return answer;
    }

    const json = (value: unknown) => JSON.stringify(value);
    const expectNotFound = (answer: AttackAnswer, code: string) => {
      expect(answer.status, answer.text).to.equal(404);
      expect(answer.body.error.code).to.equal(code);
    };
    /** The answer about the victim's resource is the answer about one that does not exist: no oracle of existence. */
    const expectSameAsNothing = (answer: AttackAnswer, nothing: AttackAnswer) => {
      expect(answer.status, answer.text).to.equal(404);
      expect([answer.status, answer.body.error.code]).to.deep.equal([nothing.status, nothing.body.error.code]);
    };

    it('their orders: reading, cancelling, paying for one is 404 ORDER_NOT_FOUND, and the order is untouched', async () => {
      for (const orderId of [victim.orderId, victim.paypalOrderId]) {
        expectNotFound(await intrude({ method: 'GET', path: `/api/v1/orders/${orderId}` }), 'ORDER_NOT_FOUND');
        expectNotFound(await intrude({ method: 'POST', path: `/api/v1/orders/${orderId}/cancel`, body: json({ reason: 'not mine' }) }), 'ORDER_NOT_FOUND');
      }
      const approval = (orderId: string) => json({ orderId, returnUrl: 'http://shop.test/done', cancelUrl: 'http://shop.test/cancelled' });
      const paypal = await intrude({ method: 'POST', path: '/api/v1/payments/paypal', body: approval(victim.paypalOrderId) });
      expectSameAsNothing(paypal, await intrude({ method: 'POST', path: '/api/v1/payments/paypal', body: approval(randomUUID()) }));
      const list = await intrude({ method: 'GET', path: '/api/v1/orders' });
      expect(list.body.total).to.equal(0);
      const mine = (await context.shop.api.get(`/orders/${victim.orderId}`, { token: victim.token })).body;
      expect(mine.status).to.not.equal('CANCELLED');
    });

    it('their cart lines: changing, removing, restoring one is 404 ITEM_NOT_FOUND, and their cart is untouched', async () => {
      const item = `/api/v1/cart/items/${victim.itemId}`;
      expectNotFound(await intrude({ method: 'PATCH', path: item, body: json({ quantity: 0 }) }), 'ITEM_NOT_FOUND');
      expectNotFound(await intrude({ method: 'DELETE', path: item }), 'ITEM_NOT_FOUND');
      expectNotFound(await intrude({ method: 'POST', path: `${item}/restore` }), 'ITEM_NOT_FOUND');
      const cart = (await context.shop.api.get('/cart', { token: victim.token })).body;
      expect(cart.items.map((i: { itemId: string; quantity: number }) => [i.itemId, i.quantity])).to.deep.equal([[victim.itemId, 2]]);
    });

    it('their address: checking out to it is 404 ADDRESS_NOT_FOUND, and their addresses are not listed', async () => {
      const checkout = await intrude({ method: 'POST', path: '/api/v1/orders', body: json({ shippingAddressId: victim.addressId, payment: card() }), headers: { 'idempotency-key': randomUUID() } });
      expectNotFound(checkout, 'ADDRESS_NOT_FOUND');
      const addresses = await intrude({ method: 'GET', path: '/api/v1/customers/me/addresses' });
      expect(addresses.status).to.equal(200);
    });

    it('their cart by its id: a login naming it as a guest cart merges nothing of theirs', async () => {
      const email = `intruder-${randomUUID().slice(0, 8)}@example.com`;
      await context.shop.api.post('/customers', { email, password: 'intruder-pass-1', firstName: 'Eve', lastName: 'Intruder' });
      const login = await intrude({ method: 'POST', path: '/api/v1/auth/login', body: json({ email, password: 'intruder-pass-1', guestCartId: victim.cartId }) }, '');
      expect(login.status).to.equal(200);
      // The merge happens after the login, on an event: give it the time it would take.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const stolen = await intrude({ method: 'GET', path: '/api/v1/cart' }, login.body.accessToken);
      expect(stolen.body.items).to.deep.equal([]);
      await eventually(async () => (await context.shop.api.get('/cart', { token: victim.token })).body.itemCount === 2, 2_000, "the victim's cart intact");
    });
  });
}
