import { expect } from 'chai';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';

describe('gateway', () => {
  describe('rate limits', () => {
    let f: GatewayFixture;
    beforeEach(async () => {
      f = await startGatewayFixture({ AUTH_RATE_LIMIT_MAX: '3', RATE_LIMIT_MAX: '8' });
    });
    afterEach(() => f.stop());

    it('when one client tries to log in too often, then 429 RATE_LIMITED with the limit headers, and other routes still answer', async () => {
      for (let i = 0; i < 3; i += 1) {
        const login = await f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'guess' });
        expect(login.status).to.equal(200);
        expect(login.headers.get('ratelimit-policy')).to.be.a('string');
      }
      const seen = f.customer.seen.length;
      const limited = await f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'guess' });
      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('RATE_LIMITED');
      expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
      expect(limited.headers.get('ratelimit')).to.contain('remaining=0');
      expect(limited.headers.get('x-ratelimit-limit')).to.equal(null);
      expect(f.customer.seen.length).to.equal(seen);
      // Another spelling of the same route is the same login.
      expect((await f.api.post('/api/v1/auth/login/?next=1', { email: 'a@example.com', password: 'guess' })).status).to.equal(429);

      expect((await f.api.get('/api/v1/customers/me')).status).to.equal(200);
      expect((await f.api.post('/api/v1/customers', { email: 'b@example.com' })).status).to.equal(200);
    });

    it('when one client registers too often, then 429 RATE_LIMITED, counted apart from logins', async () => {
      for (let i = 0; i < 3; i += 1) expect((await f.api.post('/api/v1/customers', { email: `c${i}@example.com` })).status).to.equal(200);
      expect((await f.api.post('/api/v1/customers/', { email: 'd@example.com' })).body.error.code).to.equal('RATE_LIMITED');
      expect((await f.api.post('/api/v1/customers/verify', { token: 't' })).status).to.equal(200);
      expect((await f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'x' })).status).to.equal(200);
    });

    it('when one client exceeds the general limit, then every API route answers 429 but the health probes do not', async () => {
      for (let i = 0; i < 8; i += 1) expect((await f.api.get('/api/v1/customers/me')).status).to.equal(200);
      expect((await f.api.get('/api/v1/customers/me')).body.error.code).to.equal('RATE_LIMITED');
      expect((await f.api.get('/api/v1/nope')).status).to.equal(429);
      expect((await f.api.get('/health/live')).status).to.equal(200);
    });
  });

  describe('trusted proxies', () => {
    let f: GatewayFixture;
    afterEach(() => f.stop());

    const forwardedFor = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const login = (address: string) => f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'guess' }, forwardedFor(address));

    it('when TRUST_PROXY is left at its default and every login names another X-Forwarded-For, then the login limit still counts the one client address', async () => {
      f = await startGatewayFixture({ AUTH_RATE_LIMIT_MAX: '3', RATE_LIMIT_MAX: '100' });

      for (let i = 1; i <= 3; i += 1) expect((await login(`203.0.113.${i}`)).status).to.equal(200);
      const limited = await login('203.0.113.4');

      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('RATE_LIMITED');
    });

    it('when TRUST_PROXY is left at its default and every request names another X-Forwarded-For, then the general limit still counts the one client address', async () => {
      f = await startGatewayFixture({ AUTH_RATE_LIMIT_MAX: '100', RATE_LIMIT_MAX: '4' });

      for (let i = 1; i <= 4; i += 1) expect((await f.api.get('/api/v1/customers/me', forwardedFor(`198.51.100.${i}`))).status).to.equal(200);
      const limited = await f.api.get('/api/v1/customers/me', forwardedFor('198.51.100.5'));

      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('RATE_LIMITED');
    });

    it('when TRUST_PROXY is loopback (the local launcher) and a local proxy names different clients, then each forwarded address is counted apart', async () => {
      f = await startGatewayFixture({ TRUST_PROXY: 'loopback', AUTH_RATE_LIMIT_MAX: '2', RATE_LIMIT_MAX: '100' });

      for (let i = 0; i < 2; i += 1) expect((await login('203.0.113.10')).status).to.equal(200);
      const limited = await login('203.0.113.10');
      const otherClient = await login('203.0.113.11');

      expect(limited.status).to.equal(429);
      expect(otherClient.status).to.equal(200);
      expect(otherClient.body.path).to.equal('/auth/login');
    });
  });
});
