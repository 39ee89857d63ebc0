import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { customerDataErased, inventoryStockChanged, productUpdated, type EventEnvelope, type ProductCreatedV1, type StockStatus } from '@shop/contracts';
import { sql } from '@shop/db';
import { eventually, judgeFreshness, startPolling, startTokenIssuer } from '@shop/testkit';
import { expireCarts } from '../src/app/expire-carts.use-case';
import type { RunningCartService } from '../src/service';
import { startCartFixture, type CartFixture, type CartReplica } from './cart.fixture';

type Owner = { token: string } | { headers: Record<string, string> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const sha1 = (bytes: Buffer) => `"${createHash('sha1').update(bytes).digest('base64url')}"`;
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('cart service: GET /cart from memory, per cart, with ETags', function () {
  this.timeout(60_000);
  let f: CartFixture;
  let replica: CartReplica;
  before(async () => {
    f = await startCartFixture();
    replica = await f.startReplica();
  });
  after(() => f.stop());

  const stats = (service: RunningCartService = f.service) => service.deps.answers.stats();
  const headersOf = (owner: Owner): Record<string, string> => ('token' in owner ? { authorization: `Bearer ${owner.token}` } : owner.headers);
  const getCart = (owner: Owner, headers: Record<string, string> = {}, service: RunningCartService = f.service) =>
    fetch(`${service.url}/cart`, { headers: { ...headersOf(owner), ...headers } });
  const cartOf = async (owner: Owner, service: RunningCartService = f.service): Promise<any> => (await getCart(owner, {}, service)).json();

  /** Resolves once each replica has confirmed its change channel after now: every change committed before has been heard. */
  async function heardEverythingUntilNow(...services: RunningCartService[]) {
    for (const service of services.length > 0 ? services : [f.service, replica.service]) {
      const mark = service.deps.answers.now();
      await eventually(() => stats(service).confirmedAt > mark, 5_000, 'a confirmation of the change channel');
    }
  }

  /** A customer whose cart holds `quantity` of a new product, once every replica has heard of it. */
  async function customerWith(quantity = 1, product?: ProductCreatedV1) {
    const owner = await f.customer();
    const bought = product ?? (await f.product());
    expect((await f.api.post('/cart/items', { productId: bought.productId, quantity }, { token: owner.token })).status).to.equal(201);
    await heardEverythingUntilNow();
    return { ...owner, product: bought };
  }

  async function stockChanged(product: ProductCreatedV1, stockStatus: StockStatus, stockVersion: number, available = stockStatus === 'out_of_stock' ? 0 : 8) {
    const variantId = product.variants[0]!.variantId;
    return f.publish(
      inventoryStockChanged,
      { inventoryId: randomUUID(), variantId, productId: product.productId, onHand: available, reserved: 0, available, lowStockThreshold: 2, stockStatus, stockVersion, changedAt: new Date().toISOString() },
      { type: 'stock', id: variantId, version: stockVersion },
    );
  }

  function priceChanged(product: ProductCreatedV1, amount: number, version: number) {
    return f.publish(
      productUpdated,
      {
        productId: product.productId,
        name: product.name,
        price: usd(amount),
        changedFields: { price: usd(amount) },
        variants: product.variants.map((v) => ({ ...v, price: usd(amount) })),
        updatedBy: randomUUID(),
        updatedAt: new Date().toISOString(),
      },
      { type: 'product', id: product.productId, version },
    );
  }

  /** When the transaction that took the event in started: its commit came no earlier. */
  async function consumedAt(event: EventEnvelope): Promise<number> {
    await f.consumed(event);
    const { rows } = await sql<{ at: Date }>`SELECT processed_at AS at FROM inbox WHERE event_id = ${event.id}`.execute(f.service.deps.db);
    return (rows[0] as { at: Date }).at.getTime();
  }

  describe('from memory', () => {
    it('when a customer asks for the cart twice, then the second answer is the same bytes and ETag, from memory: no second read', async () => {
      const customer = await customerWith(2);
      const first = await getCart(customer);
      const firstBody = Buffer.from(await first.arrayBuffer());
      const before = stats();

      const second = await getCart(customer);
      const secondBody = Buffer.from(await second.arrayBuffer());
      expect(second.status).to.equal(200);
      expect(secondBody.equals(firstBody)).to.equal(true);
      expect(second.headers.get('etag')).to.equal(first.headers.get('etag'));
      expect(stats().loads).to.equal(before.loads);
      expect(stats().hits).to.equal(before.hits + 1);
      expect(JSON.parse(secondBody.toString()).items[0].quantity).to.equal(2);
    });

    it('when a guest asks for its cart twice, then the second answer is from memory too', async () => {
      const guest = await f.guest();
      const product = await f.product();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { headers: guest.headers });
      await heardEverythingUntilNow();
      await getCart(guest);
      const before = stats();
      expect((await cartOf(guest)).cartId).to.equal(guest.cartId);
      expect(stats()).to.include({ loads: before.loads, hits: before.hits + 1 });
    });
  });

  describe('one answer per cart: customers and guests never see each other', () => {
    it("when two customers and a guest read their carts again and again, then each gets their own, also with another's ETag", async () => {
      const alice = await customerWith(1);
      const bob = await customerWith(3);
      const guest = await f.guest();
      await f.api.post('/cart/items', { productId: (await f.product()).productId, quantity: 5 }, { headers: guest.headers });
      await heardEverythingUntilNow();
      for (let round = 0; round < 3; round += 1) {
        const [a, b, g] = await Promise.all([cartOf(alice), cartOf(bob), cartOf(guest)]);
        expect(a.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity])).to.deep.equal([[alice.product.productId, 1]]);
        expect(b.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity])).to.deep.equal([[bob.product.productId, 3]]);
        expect(g.cartId).to.equal(guest.cartId);
        expect(g.itemCount).to.equal(5);
        expect(new Set([a.cartId, b.cartId, g.cartId]).size).to.equal(3);
      }
      const bobsEtag = (await getCart(bob)).headers.get('etag') as string;
      const aliceWithBobsEtag = await getCart(alice, { 'if-none-match': bobsEtag });
      expect(aliceWithBobsEtag.status).to.equal(200);
      expect(((await aliceWithBobsEtag.json()) as { cartId: string }).cartId).not.to.equal((await cartOf(bob)).cartId);
    });

    it("when a customer's answer is kept, then a token signed with another key for that customer gets 401, never the kept answer", async () => {
      const alice = await customerWith(1);
      expect((await getCart(alice)).status).to.equal(200);
      const forger = await startTokenIssuer();
      try {
        const forged = await forger.token({ customerId: alice.customerId });
        for (let attempt = 0; attempt < 2; attempt += 1) expect((await getCart({ token: forged })).status).to.equal(401);
        expect((await getCart({ headers: { authorization: 'Basic abc' } })).status).to.equal(401);
      } finally {
        await forger.close();
      }
    });

    it('when a guest token names no cart, then 401 every time, and nothing is kept', async () => {
      const before = stats();
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const response = await getCart({ headers: { 'x-cart-token': `unknown-${randomUUID()}` } });
        expect(response.status).to.equal(401);
      }
      expect((await getCart({ headers: {} })).status).to.equal(401);
      expect(stats().entries).to.be.at.most(before.entries);
    });
  });

  describe('ETag, Cache-Control and If-None-Match', () => {
    it('when a shopper reads the cart, then the answer has one strong ETag, the hash of its bytes, and Cache-Control private, no-cache (never public)', async () => {
      const customer = await customerWith();
      const guest = await f.guest();
      for (const owner of [customer, guest] as Owner[]) {
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const response = await getCart(owner);
          const body = Buffer.from(await response.arrayBuffer());
          expect(response.headers.get('etag')).to.equal(sha1(body));
          expect(response.headers.get('cache-control')).to.equal('private, no-cache');
          expect(response.headers.get('content-type')).to.equal('application/json; charset=utf-8');
          expect(Number(response.headers.get('content-length'))).to.equal(body.length);
        }
      }
    });

    it('when the client sends the ETag it has, then 304 with no body; after a change, the old ETag gets 200 and the new cart', async () => {
      const customer = await customerWith();
      const etag = (await getCart(customer)).headers.get('etag') as string;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const response = await getCart(customer, { 'if-none-match': ifNoneMatch });
        expect(response.status, ifNoneMatch).to.equal(304);
        expect(response.headers.get('etag')).to.equal(etag);
        expect(response.headers.get('cache-control')).to.equal('private, no-cache');
        expect(await response.text()).to.equal('');
      }
      // Not in memory any more: the same bytes read again have the same ETag, on either replica.
      f.service.deps.answers.invalidate();
      expect((await getCart(customer, { 'if-none-match': etag })).status).to.equal(304);
      expect((await getCart(customer, { 'if-none-match': etag }, replica.service)).status).to.equal(304);

      await f.api.post('/cart/items', { productId: customer.product.productId, quantity: 1 }, { token: customer.token });
      const after = await getCart(customer, { 'if-none-match': etag });
      expect(after.status).to.equal(200);
      expect(((await after.json()) as { itemCount: number }).itemCount).to.equal(2);
    });
  });

  describe("a shopper's own change is in their very next answer", () => {
    it('when a customer adds, changes, removes, restores and clears, then each next read shows it', async () => {
      const customer = await customerWith(1);
      const other = await f.product();
      await cartOf(customer);

      await f.api.post('/cart/items', { productId: other.productId, quantity: 2 }, { token: customer.token });
      let cart = await cartOf(customer);
      expect(cart.itemCount).to.equal(3);
      const line = cart.items.find((i: { productId: string }) => i.productId === other.productId);

      await f.api.patch(`/cart/items/${line.itemId}`, { quantity: 4 }, { token: customer.token });
      expect((await cartOf(customer)).itemCount).to.equal(5);

      await f.api.delete(`/cart/items/${line.itemId}`, { token: customer.token });
      expect((await cartOf(customer)).itemCount).to.equal(1);

      await f.api.post(`/cart/items/${line.itemId}/restore`, undefined, { token: customer.token });
      expect((await cartOf(customer)).itemCount).to.equal(5);

      await f.api.delete('/cart', { token: customer.token });
      cart = await cartOf(customer);
      expect(cart.items).to.deep.equal([]);
    });

    it('when a guest adds and removes, then its next read shows it', async () => {
      const guest = await f.guest();
      const product = await f.product();
      expect((await cartOf(guest)).items).to.deep.equal([]);
      const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });
      expect((await cartOf(guest)).itemCount).to.equal(2);
      await f.api.delete(`/cart/items/${added.body.items[0].itemId}`, { headers: guest.headers });
      expect((await cartOf(guest)).itemCount).to.equal(0);
    });

    it("when a customer merges a guest cart, then the customer's next read has its lines and the guest's token opens no cart", async () => {
      const customer = await customerWith(1);
      const guest = await f.guest();
      const product = await f.product();
      await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { headers: guest.headers });
      await cartOf(customer);
      await cartOf(guest);
      expect((await f.api.post('/cart/merge', { cartToken: guest.cartToken }, { token: customer.token })).status).to.equal(200);
      expect((await cartOf(customer)).itemCount).to.equal(3);
      expect((await getCart(guest)).status).to.equal(401);
    });

    it('when the order service clears the cart for an order, then the next read shows it cleared', async () => {
      const customer = await customerWith(2);
      const snapshot = (await f.api.get(`/internal/carts/by-customer/${customer.customerId}`)).body;
      expect((await cartOf(customer)).itemCount).to.equal(2);
      expect((await f.api.post(`/internal/carts/${snapshot.cartId}/clear`, { orderId: randomUUID(), version: snapshot.version })).status).to.equal(200);
      expect((await cartOf(customer)).items).to.deep.equal([]);
    });

    it("when one customer's cart changes, then only that cart is read again; the others stay in memory", async () => {
      const alice = await customerWith(1);
      const bob = await customerWith(1);
      await cartOf(alice);
      await cartOf(bob);
      const before = stats();
      await f.api.post('/cart/items', { productId: alice.product.productId, quantity: 1 }, { token: alice.token });
      await heardEverythingUntilNow(f.service);
      await cartOf(bob);
      expect(stats().loads).to.equal(before.loads);
      expect(stats().invalidations).to.equal(before.invalidations);
      expect(stats().tagInvalidations).to.be.greaterThan(before.tagInvalidations);
    });
  });

  describe('changes the cart service commits otherwise', () => {
    it('when a price changes (catalog event) and a stock status changes (inventory event), shoppers polling both replicas see each within 1 s of its commit', async () => {
      const product = await f.product({ price: 1000 });
      const customer = await customerWith(1, product);
      await f.consumed(await stockChanged(product, 'in_stock', 1));
      const line = async (service: RunningCartService) => {
        const item = (await cartOf(customer, service)).items[0];
        return { amount: item.unitPrice.amount as number, available: item.available as boolean };
      };
      for (const service of [f.service, replica.service]) {
        await eventually(async () => (await line(service)).available, 5_000, 'in stock on every replica');
      }
      const pollers = [f.service, replica.service].map((service, i) => ({ name: `replica ${i + 1}`, service, poller: startPolling(() => line(service)) }));
      await sleep(300);
      const hitsBefore = pollers.map(({ service }) => stats(service).hits);

      const priceCommittedAt = await consumedAt(await priceChanged(product, 1500, 2));
      const stockCommittedAt = await consumedAt(await stockChanged(product, 'out_of_stock', 2));
      await sleep(Math.max(priceCommittedAt, stockCommittedAt) + 1_500 - Date.now());

      for (const { name, service, poller } of pollers) {
        const samples = await poller.stop();
        expect(samples[0]?.value, `${name}: before the changes`).to.deep.equal({ amount: 1000, available: true });
        for (const [change, verdict] of [
          ['price', judgeFreshness(samples, priceCommittedAt, (seen) => seen.amount === 1500)],
          ['stock status', judgeFreshness(samples, stockCommittedAt, (seen) => !seen.available)],
        ] as const) {
          expect(verdict.judged, `${name}: answers asked for 1 s or more after the ${change} commit`).to.be.at.least(5);
          expect(verdict.stale, `${name}: stale ${change} 1 s or more after its commit`).to.deep.equal([]);
          expect(verdict.firstSeenAfterMs, `${name}: ${change} seen`).to.be.below(1_000);
        }
        // Meanwhile the cart came from memory, not from a read per request.
        expect(stats(service).hits, name).to.be.greaterThan((hitsBefore[pollers.findIndex((p) => p.service === service)] as number) + 10);
      }
    });

    it('when only the stock quantity changes (its status stays), then the answers are kept', async () => {
      const customer = await customerWith();
      await f.consumed(await stockChanged(customer.product, 'in_stock', 1, 9));
      await heardEverythingUntilNow(f.service);
      await cartOf(customer);
      const before = stats();
      await f.consumed(await stockChanged(customer.product, 'in_stock', 2, 7));
      await heardEverythingUntilNow(f.service);
      await cartOf(customer);
      expect(stats()).to.include({ loads: before.loads, invalidations: before.invalidations });
    });

    it('when a customer changes the cart through one replica, then the other, which kept the old answer, shows the change within 1 s', async () => {
      const customer = await customerWith(1);
      await cartOf(customer, replica.service);
      const before = stats(replica.service);
      await cartOf(customer, replica.service);
      expect(stats(replica.service).hits).to.equal(before.hits + 1);

      const changedAt = Date.now();
      await f.api.post('/cart/items', { productId: customer.product.productId, quantity: 1 }, { token: customer.token });
      await eventually(async () => (await cartOf(customer, replica.service)).itemCount === 2, 1_000, 'the change on the other replica');
      expect(Date.now() - changedAt).to.be.below(1_500);
    });

    it('when a cart is changed by hand in SQL, then every replica hears it', async () => {
      const customer = await customerWith(1);
      const { cartId } = await cartOf(customer);
      await cartOf(customer, replica.service);
      await sql`UPDATE cart_items SET quantity = 7 WHERE cart_id = ${cartId}`.execute(f.service.deps.db);
      for (const service of [f.service, replica.service]) {
        await eventually(async () => (await cartOf(customer, service)).itemCount === 7, 1_000, 'the new quantity');
      }
    });

    it('when the sweep empties an idle cart, then the kept answer follows', async () => {
      const customer = await customerWith(1);
      const { cartId } = await cartOf(customer);
      await sql`UPDATE carts SET updated_at = now() - interval '400 days' WHERE id = ${cartId}`.execute(f.service.deps.db);
      await heardEverythingUntilNow(f.service);
      expect((await cartOf(customer)).itemCount).to.equal(1);
      await expireCarts(f.service.deps);
      await eventually(async () => (await cartOf(customer)).itemCount === 0, 1_000, 'the emptied cart');
    });

    it("when a customer's data is erased, then the kept answer goes with the cart", async () => {
      const customer = await customerWith(1);
      const { cartId } = await cartOf(customer);
      const erased = await f.publish(
        customerDataErased,
        { customerId: customer.customerId, anonymizedId: randomUUID(), erasedAt: new Date().toISOString(), email: 'ada@example.com', firstName: 'Ada' },
        { type: 'customer', id: customer.customerId, version: 5 },
      );
      await f.consumed(erased);
      await eventually(async () => (await cartOf(customer)).cartId !== cartId, 1_000, 'a new, empty cart');
      expect((await cartOf(customer)).items).to.deep.equal([]);
    });
  });
});

describe('cart service: GET /cart with the cache off (CACHE_MAX_ENTRIES=0)', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture({ CACHE_MAX_ENTRIES: '0' });
  });
  after(() => f.stop());

  it('when a customer reads twice, then each read goes to the database, with the same ETag and Cache-Control; changes show at once', async () => {
    const { token } = await f.customer();
    const product = await f.product();
    await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { token });
    const before = f.service.deps.answers.stats();
    const first = await f.api.get('/cart', { token });
    const second = await f.api.get('/cart', { token });
    expect(second.body).to.deep.equal(first.body);
    expect(second.headers.get('etag')).to.equal(first.headers.get('etag'));
    expect(second.headers.get('cache-control')).to.equal('private, no-cache');
    expect(f.service.deps.answers.stats()).to.include({ loads: before.loads + 2, hits: 0, entries: 0 });
    expect((await f.api.get('/cart', { token, headers: { 'if-none-match': first.headers.get('etag') as string } })).status).to.equal(304);

    await sql`UPDATE cart_items SET quantity = 3 WHERE cart_id = ${first.body.cartId}`.execute(f.service.deps.db);
    expect((await f.api.get('/cart', { token })).body.itemCount).to.equal(3);
  });
});
