import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { CARDS, HOME, cardPayment, startOrderFixture, usd, type OrderFixture } from './order.fixture';

describe('order service: POST /orders (checkout)', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  before(async () => {
    f = await startOrderFixture();
  });
  after(() => f.stop());
  afterEach(() => {
    f.fake.failing.clear();
    f.fake.hanging.clear();
    f.fake.delayMs = 0;
  });

  const place = (token: string | undefined, body: unknown, headers: Record<string, string> = {}) => f.api.post('/orders', body, { ...(token && { token }), headers });
  const callsFor = (orderId: string) => f.fake.calls.filter((c) => c.endsWith(` ${orderId}`)).map((c) => c.split(' ')[0]);

  describe('when it succeeds', () => {
    it('when a verified customer orders two lines at 20.00, then 201 PENDING with 48.20 in all, and every step ran for the order', async () => {
      const buyer = await f.buyer({ prices: [2000, 2000] });

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(201);
      const order = response.body;
      expect(order).to.include.keys('orderId', 'orderNumber', 'status', 'lineItems', 'subtotal', 'shippingCost', 'tax', 'total', 'shippingAddress', 'payment', 'createdAt');
      expect(order.orderNumber).to.match(/^ORD-\d{4}-\d{6,}$/);
      expect(order).to.deep.include({ status: 'PENDING', subtotal: usd(4000), shippingCost: usd(500), tax: usd(320), total: usd(4820), shippingAddress: HOME });
      expect(order.payment).to.deep.equal({ method: 'card', status: 'authorized', brand: 'visa', last4: '4242' });
      expect(order.lineItems).to.deep.equal(
        buyer.lines.map((l) => ({ productId: l.productId, variantId: l.variantId, productName: l.productName, variantName: l.variantName, sku: l.sku, quantity: 1, unitPrice: usd(2000), subtotal: usd(2000) })),
      );
      expect(callsFor(order.orderId)).to.deep.equal(['reserve', 'authorize', 'commit', 'clear']);
      expect(f.fake.reservations.get(order.orderId)?.status).to.equal('committed');
      expect(f.fake.carts.get(buyer.customerId)?.items).to.deep.equal([]);
      expect((await f.checkout(order.orderId))?.status).to.equal('completed');
    });

    it('when a checkout completes, then its journal lists every step started and done, and keeps the answer it gave for the key', async () => {
      const buyer = await f.buyer();

      const response = await place(buyer.token, buyer.order(), { 'idempotency-key': randomUUID() });

      const steps = ['validate-customer', 'read-cart', 'price', 'reserve-stock', 'authorize-payment', 'commit-reservation', 'create-order', 'clear-cart'];
      const journal = await f.checkout(response.body.orderId);
      expect(journal).to.deep.include({ status: 'completed', steps_started: steps, steps_done: steps, steps_compensated: [], answer_status: 201 });
      expect(journal?.answer_body).to.deep.equal(response.body);
      expect(journal?.context).to.include.keys('customer', 'cart', 'totals', 'payment', 'order');
    });

    it('when the order is placed, then order.placed carries the number, the e-mail, the lines, the totals and the address', async () => {
      const buyer = await f.buyer({ prices: [1500], quantities: [2] });

      const order = (await place(buyer.token, buyer.order())).body;

      const placed = (await f.events('order.placed')).find((e) => e.orderId === order.orderId);
      expect(placed).to.deep.include({
        orderNumber: order.orderNumber,
        customerId: buyer.customerId,
        email: f.fake.customers.get(buyer.customerId)!.email,
        subtotal: usd(3000),
        shippingCost: usd(500),
        tax: usd(240),
        totalAmount: usd(3740),
        shippingAddress: HOME,
      });
      expect(placed!.lineItems).to.deep.equal([
        { productId: buyer.lines[0]!.productId, variantId: buyer.lines[0]!.variantId, sku: buyer.lines[0]!.sku, name: 'Product 1 (Default)', quantity: 2, unitPrice: usd(1500), lineTotal: usd(3000) },
      ]);
    });

    it('when the subtotal reaches 50.00, then shipping is free', async () => {
      const buyer = await f.buyer({ prices: [3000, 2000] });
      const response = await place(buyer.token, buyer.order());
      expect(response.body).to.deep.include({ subtotal: usd(5000), shippingCost: usd(0), tax: usd(400), total: usd(5400) });
    });

    it('when the address is given inline, then the order ships there', async () => {
      const buyer = await f.buyer();
      const elsewhere = { ...HOME, street: '9 Elm St' };
      const response = await place(buyer.token, { shippingAddress: elsewhere, payment: cardPayment() });
      expect(response.status).to.equal(201);
      expect(response.body.shippingAddress).to.deep.equal(elsewhere);
    });

    it('when orders follow each other, then their numbers differ', async () => {
      const numbers = [];
      for (let i = 0; i < 3; i += 1) {
        const buyer = await f.buyer();
        numbers.push((await place(buyer.token, buyer.order())).body.orderNumber);
      }
      expect(new Set(numbers).size).to.equal(3);
    });
  });

  describe('who may order', () => {
    it('when there is no token (a guest, with or without a cart token), then 401 REGISTRATION_REQUIRED', async () => {
      const buyer = await f.buyer();
      for (const headers of [{}, { 'x-cart-token': 'a-guest-cart-token' }] as Array<Record<string, string>>) {
        const response = await place(undefined, buyer.order(), headers);
        expect(response.status).to.equal(401);
        expect(response.body.error.code).to.equal('REGISTRATION_REQUIRED');
      }
    });

    it('when the token is not valid, then 401 UNAUTHORIZED', async () => {
      const buyer = await f.buyer();
      const response = await place('not-a-token', buyer.order());
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });

    for (const [status, code, httpStatus] of [
      ['unverified', 'EMAIL_NOT_VERIFIED', 403],
      ['suspended', 'ACCOUNT_SUSPENDED', 403],
    ] as const) {
      it(`when the customer is ${status}, then ${httpStatus} ${code} and nothing is reserved or charged`, async () => {
        const buyer = await f.buyer({ status });
        const before = f.fake.calls.length;

        const response = await place(buyer.token, buyer.order());

        expect(response.status).to.equal(httpStatus);
        expect(response.body.error.code).to.equal(code);
        expect(f.fake.calls.slice(before).filter((c) => !c.startsWith('customer '))).to.deep.equal([]);
      });
    }

    it("when the address is not one of the customer's, then 404 ADDRESS_NOT_FOUND", async () => {
      const buyer = await f.buyer();
      const response = await place(buyer.token, { shippingAddressId: randomUUID(), payment: cardPayment() });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('ADDRESS_NOT_FOUND');
    });
  });

  describe('what may be ordered', () => {
    it('when the cart is empty, then 409 EMPTY_CART', async () => {
      const buyer = await f.buyer();
      f.fake.carts.get(buyer.customerId)!.items = [];
      const response = await place(buyer.token, buyer.order());
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('EMPTY_CART');
    });

    it('when a line is no longer on sale, then 409 PRODUCT_INACTIVE naming it, and nothing is reserved', async () => {
      const buyer = await f.buyer({ prices: [1000, 1000] });
      buyer.lines[1]!.onSale = false;
      const before = f.fake.callsOf('reserve').length;

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('PRODUCT_INACTIVE');
      expect(response.body.error.details.items).to.deep.equal([{ productId: buyer.lines[1]!.productId, variantId: buyer.lines[1]!.variantId, productName: 'Product 2' }]);
      expect(f.fake.callsOf('reserve')).to.have.length(before);
    });

    it('when the address is abroad, then 422 INTERNATIONAL_SHIPPING_NOT_AVAILABLE', async () => {
      const buyer = await f.buyer();
      const response = await place(buyer.token, { shippingAddress: { ...HOME, postalCode: '75001', country: 'FR' }, payment: cardPayment() });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('INTERNATIONAL_SHIPPING_NOT_AVAILABLE');
    });

    it('when a line has less stock than ordered, then 409 INSUFFICIENT_STOCK with each short line, and no payment is asked', async () => {
      const buyer = await f.buyer({ prices: [1000, 1000], quantities: [1, 3], stock: 2 });
      const before = f.fake.callsOf('authorize').length;

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('INSUFFICIENT_STOCK');
      expect(response.body.error.details.items).to.deep.equal([{ variantId: buyer.lines[1]!.variantId, requested: 3, available: 2 }]);
      expect(f.fake.callsOf('authorize')).to.have.length(before);
      expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(2);
    });
  });

  describe('payment', () => {
    for (const [card, reason] of [
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficientFunds, 'insufficient_funds'],
      [CARDS.amex, 'unsupported_card'],
      [CARDS.providerError, 'provider_error'],
    ] as const) {
      it(`when the payment fails (${reason}), then 402 PAYMENT_FAILED with that reason, the stock is released, the payment voided and no order exists`, async () => {
        const buyer = await f.buyer({ stock: 5 });

        const response = await place(buyer.token, buyer.order(card));

        expect(response.status).to.equal(402);
        expect(response.body.error.code).to.equal('PAYMENT_FAILED');
        expect(response.body.error.details.reason).to.equal(reason);
        const orderId = response.body.error.details.orderId as string;
        expect(callsFor(orderId)).to.deep.equal(['reserve', 'authorize', 'void', 'release']);
        expect(f.fake.reservations.get(orderId)?.status).to.equal('released');
        expect(buyer.lines.map((l) => f.fake.stock.get(l.variantId))).to.deep.equal([5, 5]);
        expect((await f.api.get('/orders', { token: buyer.token })).body.total).to.equal(0);
        expect((await f.checkout(orderId))?.status).to.equal('compensated');
        expect(f.fake.carts.get(buyer.customerId)!.items).to.have.length(2);
      });
    }

    it('when the commitment of the stock fails after the payment, then the payment is voided and the stock released', async () => {
      const buyer = await f.buyer({ stock: 5 });
      f.fake.failing.set('commit', 503);

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(503);
      const orderId = f.fake.callsOf('commit').at(-1)!.split(' ')[1]!;
      expect(callsFor(orderId)).to.deep.equal(['reserve', 'authorize', 'commit', 'void', 'release']);
      expect(f.fake.payments.get(orderId)?.status).to.equal('voided');
      expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(5);
    });

    it('when a checkout fails after the payment, then its journal lists what started, what was done and what was undone', async () => {
      const buyer = await f.buyer();
      f.fake.failing.set('commit', 503);

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(503);
      const orderId = f.fake.callsOf('commit').at(-1)!.split(' ')[1]!;
      expect(await f.checkout(orderId)).to.deep.include({
        status: 'compensated',
        steps_started: ['validate-customer', 'read-cart', 'price', 'reserve-stock', 'authorize-payment', 'commit-reservation'],
        steps_done: ['validate-customer', 'read-cart', 'price', 'reserve-stock', 'authorize-payment'],
        steps_compensated: ['commit-reservation', 'authorize-payment', 'reserve-stock', 'price', 'read-cart', 'validate-customer'],
      });
    });
  });

  describe('when a service is down', () => {
    it('when the inventory is down, then 503 SERVICE_UNAVAILABLE and nothing is charged; the same Idempotency-Key works once it is back', async () => {
      const buyer = await f.buyer();
      const key = randomUUID();
      f.fake.failing.set('reserve', 503);

      const down = await place(buyer.token, buyer.order(), { 'idempotency-key': key });
      f.fake.failing.clear();
      const again = await place(buyer.token, buyer.order(), { 'idempotency-key': key });

      expect(down.status).to.equal(503);
      expect(down.body.error.code).to.equal('SERVICE_UNAVAILABLE');
      expect(again.status).to.equal(201);
      expect(f.fake.callsOf('authorize').filter((c) => c.endsWith(again.body.orderId))).to.have.length(1);
    });

    it('when the undo of a failed checkout fails too, then the answer is the failure all the same and recovery finishes the undo later', async () => {
      const buyer = await f.buyer({ stock: 4 });
      f.fake.failing.set('release', 503);

      const response = await place(buyer.token, buyer.order(CARDS.declined));

      expect(response.status).to.equal(402);
      const orderId = response.body.error.details.orderId as string;
      expect((await f.checkout(orderId))?.status).to.equal('compensating');
      f.fake.failing.clear();
      await eventually(async () => (await f.checkout(orderId))?.status === 'compensated', 10_000, 'recovery to finish the undo');
      expect(f.fake.reservations.get(orderId)?.status).to.equal('released');
      expect(f.fake.stock.get(buyer.lines[0]!.variantId)).to.equal(4);
    });

    it('when clearing the cart fails, then the order stands (201) and recovery clears the cart later', async () => {
      const buyer = await f.buyer();
      f.fake.failing.set('clear', 503);

      const response = await place(buyer.token, buyer.order());

      expect(response.status).to.equal(201);
      expect((await f.checkout(response.body.orderId))?.status).to.equal('completing');
      f.fake.failing.clear();
      await eventually(async () => (await f.checkout(response.body.orderId))?.status === 'completed', 10_000, 'recovery to clear the cart');
      expect(f.fake.carts.get(buyer.customerId)!.items).to.deep.equal([]);
    });

    it('when the cart of a placed order is not cleared yet, then ordering the same cart again is 409 CONFLICT', async () => {
      const buyer = await f.buyer();
      f.fake.failing.set('clear', 503);

      const first = await place(buyer.token, buyer.order());
      const second = await place(buyer.token, buyer.order());

      expect(first.status).to.equal(201);
      expect(second.status).to.equal(409);
      expect(second.body.error.code).to.equal('CONFLICT');
    });
  });

  describe('Idempotency-Key', () => {
    it('when the same key comes again, then the same status and body, and nothing runs again', async () => {
      const buyer = await f.buyer();
      const key = randomUUID();

      const first = await place(buyer.token, buyer.order(), { 'idempotency-key': key });
      const reserves = f.fake.callsOf('reserve').length;
      const second = await place(buyer.token, buyer.order(), { 'idempotency-key': key });

      expect(first.status).to.equal(201);
      expect(second.status).to.equal(201);
      expect(second.body).to.deep.equal(first.body);
      expect(f.fake.callsOf('reserve')).to.have.length(reserves);
      expect((await f.api.get('/orders', { token: buyer.token })).body.total).to.equal(1);
    });

    it('when a checkout was refused (4xx), then the same key gets the same refusal', async () => {
      const buyer = await f.buyer();
      const key = randomUUID();

      const first = await place(buyer.token, buyer.order(CARDS.declined), { 'idempotency-key': key });
      const second = await place(buyer.token, buyer.order(CARDS.declined), { 'idempotency-key': key });

      expect(first.status).to.equal(402);
      expect(second.status).to.equal(402);
      expect(second.body).to.deep.equal(first.body);
    });

    it('when the same key comes while the first request still runs, then 409 CONFLICT and the first completes', async () => {
      const buyer = await f.buyer();
      const key = randomUUID();
      f.fake.delayMs = 150;

      const [a, b] = await Promise.all([place(buyer.token, buyer.order(), { 'idempotency-key': key }), place(buyer.token, buyer.order(), { 'idempotency-key': key })]);

      expect([a.status, b.status].sort()).to.deep.equal([201, 409]);
      expect([a, b].find((r) => r.status === 409)!.body.error.code).to.equal('CONFLICT');
    });

    it('when the key is reused for another request, then 409 CONFLICT', async () => {
      const buyer = await f.buyer();
      const key = randomUUID();
      await place(buyer.token, buyer.order(), { 'idempotency-key': key });

      const other = await place(buyer.token, { shippingAddress: { ...HOME, street: '2 Other St' }, payment: cardPayment() }, { 'idempotency-key': key });

      expect(other.status).to.equal(409);
      expect(other.body.error.code).to.equal('CONFLICT');
    });

    it('when two customers use the same key, then each gets their own order', async () => {
      const [x, y] = [await f.buyer(), await f.buyer()];
      const key = 'shared-key-1';
      const [a, b] = [await place(x.token, x.order(), { 'idempotency-key': key }), await place(y.token, y.order(), { 'idempotency-key': key })];
      expect([a.status, b.status]).to.deep.equal([201, 201]);
      expect(a.body.orderId).not.to.equal(b.body.orderId);
    });

    it('when the key is malformed, then 400 VALIDATION_ERROR', async () => {
      const buyer = await f.buyer();
      const response = await place(buyer.token, buyer.order(), { 'idempotency-key': 'x'.repeat(300) });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      expect(response.body.error.details.fields[0]).to.include({ location: 'headers' });
    });
  });

  describe('one cart, many clicks', () => {
    it('when 10 checkouts of one cart run at once, then exactly one order is placed; the others are 409', async () => {
      const buyer = await f.buyer();
      f.fake.delayMs = 20;

      const responses = await Promise.all(Array.from({ length: 10 }, () => place(buyer.token, buyer.order(), { 'idempotency-key': randomUUID() })));

      expect(responses.filter((r) => r.status === 201)).to.have.length(1);
      for (const refused of responses.filter((r) => r.status !== 201)) {
        expect(refused.status).to.equal(409);
        expect(['CONFLICT', 'EMPTY_CART']).to.include(refused.body.error.code);
      }
      expect((await f.api.get('/orders', { token: buyer.token })).body.total).to.equal(1);
    });
  });

  describe('malformed requests', () => {
    const bodies: Array<[string, (order: Record<string, any>) => unknown]> = [
      ['no payment', (o) => ({ shippingAddressId: o.shippingAddressId })],
      ['both an address id and an address', (o) => ({ ...o, shippingAddress: HOME })],
      ['neither an address id nor an address', (o) => ({ payment: o.payment })],
      ['an address id that is not a UUID', (o) => ({ ...o, shippingAddressId: 'home' })],
      ['an address without a city', (o) => ({ shippingAddress: { ...HOME, city: undefined }, payment: o.payment })],
      ['a card number with letters', (o) => ({ ...o, payment: { ...o.payment, cardNumber: '4242abcd42424242' } })],
      ['a month 13', (o) => ({ ...o, payment: { ...o.payment, expMonth: 13 } })],
      ['a CVC of five digits', (o) => ({ ...o, payment: { ...o.payment, cvc: '12345' } })],
      ['an unknown payment method', (o) => ({ ...o, payment: { method: 'cash' } })],
      ['a string where the body should be', () => 'order please'],
      ['a NUL character in a field', (o) => ({ shippingAddress: { ...HOME, street: 'Main\u0000St' }, payment: o.payment })],
    ];
    for (const [label, make] of bodies) {
      it(`when the body has ${label}, then 400 VALIDATION_ERROR, nothing runs, and the card is never echoed`, async () => {
        const buyer = await f.buyer();
        const before = f.fake.calls.length;

        const response = await place(buyer.token, make(buyer.order()));

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect(JSON.stringify(response.body)).not.to.include('42424242');
        expect(f.fake.calls.length).to.equal(before);
      });
    }

    it('when the body is not JSON, then 400 and not a 5xx', async () => {
      const buyer = await f.buyer();
      const response = await f.api.call('POST', '/orders', { raw: '{"payment":', token: buyer.token });
      expect(response.status).to.equal(400);
    });
  });
});

describe('order service: recovery of a checkout that keeps failing', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  before(async () => {
    // Recovery looks every 200 ms; a checkout that keeps failing waits twice as long each time, at most 400 ms.
    f = await startOrderFixture({ CHECKOUT_RECOVERY_INTERVAL_MS: '200', CHECKOUT_RECOVERY_MAX_DELAY_MS: '400' });
  });
  after(() => f.stop());

  it('when a step has failed for a while, then recovery still tries it again within CHECKOUT_RECOVERY_MAX_DELAY_MS once it works again', async () => {
    const buyer = await f.buyer();
    f.fake.failing.set('clear', 503);
    const response = await f.api.post('/orders', buyer.order(), { token: buyer.token, headers: { 'Idempotency-Key': randomUUID() } });
    expect(response.status).to.equal(201);
    // Eight failed rounds: without the cap the next one would wait 200 ms x 2^8, 51 s.
    await eventually(async () => ((await f.checkout(response.body.orderId))?.attempts ?? 0) >= 8, 15_000, 'eight failed recovery rounds');
    f.fake.failing.clear();
    const cleared = Date.now();
    // The cart client's breaker, opened by the failures, lets a trial call through after its 10 s.
    await eventually(async () => (await f.checkout(response.body.orderId))?.status === 'completed', 15_000, 'recovery to clear the cart');
    expect(Date.now() - cleared).to.be.below(12_000);
  });
});
