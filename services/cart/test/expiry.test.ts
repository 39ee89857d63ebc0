import { expect } from 'chai';
import { expireCarts } from '../src/app/expire-carts.use-case';
import { startCartFixture, type CartFixture } from './cart.fixture';

/**
 * The smallest time to live the configuration accepts is 0.0001 days (8.64 s); rather than wait
 * that long, the sweep runs with a clock a little past it (or, to show what is not idle yet, short of it).
 */
const TTL_DAYS = '0.0001';
const TTL_MS = 8_640;

describe('expiring idle carts', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture({ CART_TTL_DAYS: TTL_DAYS, GUEST_CART_TTL_DAYS: TTL_DAYS });
  });
  after(() => f.stop());

  /** The sweep as the periodic job runs it, with the clock `aheadMs` ahead. */
  const sweep = (aheadMs: number) => expireCarts({ ...f.service.deps, now: () => new Date(Date.now() + aheadMs) });
  const expiredEvents = async (cartId: string) => (await f.events('cart.expired')).filter((e) => e.cartId === cartId);

  async function customerWithLine() {
    const product = await f.product();
    const { customerId, token } = await f.customer();
    const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { token });
    expect(added.status).to.equal(201);
    return { customerId, token, cart: added.body };
  }

  async function guestWithLine() {
    const product = await f.product();
    const guest = await f.guest();
    expect((await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { headers: guest.headers })).status).to.equal(201);
    return guest;
  }

  it("when a customer's cart with lines has been idle past its time to live, then it is emptied and cart.expired published", async () => {
    const { customerId, token, cart } = await customerWithLine();

    const done = await sweep(TTL_MS + 1_000);

    expect(done.emptied).to.be.at.least(1);
    const after = await f.api.get('/cart', { token });
    expect(after.status).to.equal(200);
    expect(after.body).to.deep.include({ cartId: cart.cartId, items: [], itemCount: 0 });
    const events = await expiredEvents(cart.cartId);
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ customerId, lastActivityAt: cart.updatedAt });
  });

  it('when a guest cart has been idle past its time to live, then it is deleted and its token no longer opens a cart', async () => {
    const guest = await guestWithLine();

    const done = await sweep(TTL_MS + 1_000);

    expect(done.deleted).to.be.at.least(1);
    const response = await f.api.get('/cart', { headers: guest.headers });
    expect([response.status, response.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
    expect(await expiredEvents(guest.cartId)).to.deep.equal([]);
  });

  it('when carts have not been idle that long yet, then they are left as they are', async () => {
    const { token, cart } = await customerWithLine();
    const guest = await guestWithLine();

    await sweep(1_000);

    expect((await f.api.get('/cart', { token })).body).to.deep.equal(cart);
    expect((await f.api.get('/cart', { headers: guest.headers })).body.itemCount).to.equal(1);
    expect(await expiredEvents(cart.cartId)).to.deep.equal([]);
  });

  it('when two sweeps run at once, then each idle cart is expired once: one cart.expired per cart', async () => {
    const customers = await Promise.all([customerWithLine(), customerWithLine(), customerWithLine()]);
    const guests = await Promise.all([guestWithLine(), guestWithLine()]);

    await Promise.all([sweep(TTL_MS + 1_000), sweep(TTL_MS + 1_000)]);

    for (const { token, cart } of customers) {
      expect((await f.api.get('/cart', { token })).body.items).to.deep.equal([]);
      expect(await expiredEvents(cart.cartId)).to.have.length(1);
    }
    for (const guest of guests) expect((await f.api.get('/cart', { headers: guest.headers })).status).to.equal(401);
  });

  it("when a customer's cart has no lines, then it is not expired (nothing to remind of)", async () => {
    const { token } = await f.customer();
    const empty = (await f.api.get('/cart', { token })).body;

    await sweep(TTL_MS + 1_000);

    expect((await f.api.get('/cart', { token })).body).to.deep.equal(empty);
    expect(await expiredEvents(empty.cartId)).to.deep.equal([]);
  });
});
