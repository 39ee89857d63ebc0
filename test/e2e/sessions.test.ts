import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';

/**
 * A session that ends (logout, password change, a stolen refresh token) ends on every route of
 * every service at once, not when its access token expires.
 */
describe('end to end: sessions end everywhere, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let categoryName = 0;
  before(async () => {
    shop = await sharedShop();
  });

  /** An admin session of its own (the bootstrap admin can have many). */
  async function adminSession(): Promise<{ accessToken: string; refreshToken: string }> {
    const login = await shop.api.post('/auth/login', ADMIN);
    expect(login.status).to.equal(200);
    return login.body;
  }

  /** The admin routes of three services the review found still open after a logout. */
  async function adminRoutes(token: string): Promise<number[]> {
    const products = await shop.api.get('/admin/products', { token });
    const inventory = await shop.api.get(`/admin/inventory/${randomUUID()}`, { token });
    categoryName += 1;
    const category = await shop.api.post('/admin/categories', { name: `Sessions ${randomUUID().slice(0, 8)} ${categoryName}` }, { token });
    return [products.status, inventory.status, category.status];
  }

  it('when an admin logs out, then that access token is refused on the very next request to every service, and their other session still works', async () => {
    const ended = await adminSession();
    const other = await adminSession();
    expect(await adminRoutes(ended.accessToken)).to.deep.equal([200, 404, 201]);

    const logout = await shop.api.post('/auth/logout', undefined, { token: ended.accessToken });
    expect(logout.status).to.equal(204);

    const refused = await Promise.all([
      shop.api.get('/admin/products', { token: ended.accessToken }),
      shop.api.get(`/admin/inventory/${randomUUID()}`, { token: ended.accessToken }),
      shop.api.post('/admin/categories', { name: `After logout ${randomUUID().slice(0, 8)}` }, { token: ended.accessToken }),
      shop.api.get('/customers/me', { token: ended.accessToken }),
    ]);
    expect(refused.map((r) => r.status)).to.deep.equal([401, 401, 401, 401]);
    expect(refused.map((r) => r.body.error.code)).to.deep.equal(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED']);
    expect(await adminRoutes(other.accessToken)).to.deep.equal([200, 404, 201]);
  });

  it('when a customer changes their password, then every other session is refused everywhere within moments, and the one that changed it goes on', async () => {
    const email = `sessions-${randomUUID().slice(0, 8)}@example.com`;
    await shop.api.post('/customers', { email, password: 'first-pass-1', firstName: 'Sam', lastName: 'Session' });
    const laptop = (await shop.api.post('/auth/login', { email, password: 'first-pass-1' })).body;
    const phone = (await shop.api.post('/auth/login', { email, password: 'first-pass-1' })).body;
    expect((await shop.api.get('/customers/me', { token: phone.accessToken })).status).to.equal(200);

    const changed = await shop.api.put('/customers/me/password', { currentPassword: 'first-pass-1', newPassword: 'second-pass-2' }, { token: laptop.accessToken });
    expect(changed.status).to.equal(204);

    // The customer service refuses it at once; the gateway itself once customer.sessions-invalidated arrives.
    expect((await shop.api.get('/customers/me', { token: phone.accessToken })).status).to.equal(401);
    await eventually(async () => {
      const response = await shop.api.get('/products', { token: phone.accessToken });
      return response.status === 401 && response.body.error.code === 'UNAUTHORIZED';
    }, 5_000, 'the gateway refusing the other session on a catalog route');
    expect((await shop.api.post('/auth/refresh', { refreshToken: phone.refreshToken })).status).to.equal(401);
    expect((await shop.api.get('/customers/me', { token: laptop.accessToken })).status).to.equal(200);
    expect((await shop.api.get('/products', { token: laptop.accessToken })).status).to.equal(200);
  });

  it('when a used refresh token comes back after the retry grace (stolen), then the whole session is refused everywhere', async () => {
    const session = await adminSession();
    const rotated = await shop.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(rotated.status).to.equal(200);
    const retried = await shop.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(retried.body, 'a retry within the grace period gets the same pair').to.deep.equal(rotated.body);

    // Past the grace period, as a thief would present it later.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const stolen = await shop.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(stolen.status).to.equal(401);
    expect(stolen.body.error.code).to.equal('INVALID_TOKEN');
    await eventually(async () => (await shop.api.get('/admin/products', { token: rotated.body.accessToken })).status === 401, 5_000, 'the session refused on a catalog admin route');
    expect((await shop.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).to.equal(401);
  });
});
