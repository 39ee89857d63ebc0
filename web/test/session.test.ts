import { describe, expect, it } from 'vitest';
import { fakeShop, json, memoryStorage } from './fake-shop';

const CUSTOMER = { id: 'c1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', status: 'verified', role: 'customer', version: 1 } as const;

/** A shop whose refresh route hands out access-2, access-3, ...; `/customers/me` accepts only `valid` tokens. */
function tokenServer(valid: (token: string) => boolean, refreshAnswer?: () => Response) {
  let issued = 1;
  let refreshes = 0;
  const fake = fakeShop(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/auth/refresh') {
      refreshes += 1;
      if (refreshAnswer) return refreshAnswer();
      issued += 1;
      return json(200, { accessToken: `access-${issued}`, refreshToken: `refresh-${issued}`, expiresIn: 900 });
    }
    const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
    if (!valid(token)) return json(401, { error: { code: 'UNAUTHORIZED', message: 'token expired', details: {} } });
    return json(200, { ...CUSTOMER, createdAt: '2026-01-01T00:00:00Z', verifiedAt: null });
  }, memoryStorage(), () => clock);
  let clock = 1_000_000;
  return {
    ...fake,
    refreshes: () => refreshes,
    advance: (ms: number) => (clock += ms),
  };
}

describe('session: tokens and their refresh', () => {
  it('when the access token is about to expire, then it is refreshed before the request, which carries the new one', async () => {
    const shop = tokenServer((token) => token === 'access-2');
    shop.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 60 }, CUSTOMER);
    shop.advance(45_000);

    const { response } = await shop.shop.api.GET('/customers/me');

    expect(response.status).toBe(200);
    expect(shop.refreshes()).toBe(1);
    expect(shop.storage.getItem('shop.refreshToken')).toBe('refresh-2');
  });

  it('when a request gets 401, then the token is refreshed once and the request sent again with it', async () => {
    const shop = tokenServer((token) => token === 'access-2');
    shop.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 }, CUSTOMER);

    const { response } = await shop.shop.api.GET('/customers/me');

    expect(response.status).toBe(200);
    expect(shop.refreshes()).toBe(1);
    expect(shop.requests.filter((r) => r.url.endsWith('/customers/me')).map((r) => r.headers.get('authorization'))).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('when several requests need a new token at once, then one refresh serves them all', async () => {
    const shop = tokenServer((token) => token === 'access-2');
    shop.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 10 }, CUSTOMER);

    const answers = await Promise.all([1, 2, 3].map(() => shop.shop.api.GET('/customers/me')));

    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200]);
    expect(shop.refreshes()).toBe(1);
  });

  it('when the refresh token is refused (a revoked session), then the session ends as expired and the 401 is not retried again', async () => {
    const shop = tokenServer(() => false, () => json(401, { error: { code: 'INVALID_TOKEN', message: 'revoked', details: {} } }));
    shop.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 }, CUSTOMER);

    const { response } = await shop.shop.api.GET('/customers/me');

    expect(response.status).toBe(401);
    expect(shop.refreshes()).toBe(1);
    expect(shop.session.getState()).toEqual({ ended: 'expired' });
    expect(shop.storage.getItem('shop.refreshToken')).toBeNull();
  });

  it('when changing the password is refused for a wrong current password (401 INVALID_CREDENTIALS), then it is sent once, no token is refreshed and the session stands', async () => {
    const fake = fakeShop(() => json(401, { error: { code: 'INVALID_CREDENTIALS', message: 'the current password is wrong', details: {} } }));
    fake.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 }, CUSTOMER);

    const { response } = await fake.shop.api.PUT('/customers/me/password', { body: { currentPassword: 'not-it-1', newPassword: 'brand-new-2' } });

    expect(response.status).toBe(401);
    expect(fake.requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/customers/me/password']);
    expect(fake.session.getState()).toEqual({ customer: CUSTOMER });
  });

  it('when an answer says ACCOUNT_SUSPENDED, then the session ends as suspended', async () => {
    const fake = fakeShop(() => json(403, { error: { code: 'ACCOUNT_SUSPENDED', message: 'suspended', details: {} } }));
    fake.session.signedIn({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 }, CUSTOMER);

    await fake.shop.api.PATCH('/customers/me', { body: { firstName: 'A' } });

    expect(fake.session.getState()).toEqual({ ended: 'suspended' });
  });

  it('when signed out with a guest cart, then requests carry the cart token and no bearer token', async () => {
    const fake = fakeShop(() => json(200, { cartId: 'x', items: [], itemCount: 0, total: { amount: 0, currency: 'USD' }, updatedAt: '2026-01-01T00:00:00Z' }));
    fake.session.setGuestCartToken('guest-token');

    await fake.shop.api.GET('/cart');

    expect(fake.requests[0]?.headers.get('x-cart-token')).toBe('guest-token');
    expect(fake.requests[0]?.headers.get('authorization')).toBeNull();
  });
});
