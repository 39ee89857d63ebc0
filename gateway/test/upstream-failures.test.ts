import { expect } from 'chai';
import { closedPort, startGatewayFixture, type GatewayFixture } from './gateway.fixture';
import { startFakeCustomerService, type FakeCustomerService } from './fake-customer.fixture';
import { rawRequest } from './raw-http';

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await call();
  return { result, ms: Date.now() - started };
}

/** A request that announces a 100-byte body, sends half of it and stalls. */
const halfSent = (method: string, path: string) =>
  `${method} ${path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n${'{"email":"'.padEnd(50, 'x')}`;

describe('gateway', () => {
  describe('upstream failures', () => {
    it('when a service is down, then 503 SERVICE_UNAVAILABLE in well under a second, and other services still answer', async () => {
      const f = await startGatewayFixture({ CATALOG_SERVICE_URL: `http://127.0.0.1:${await closedPort()}` });
      try {
        const { result, ms } = await timed(() => f.api.get('/api/v1/products?page=1'));
        expect(result.status).to.equal(503);
        expect(result.body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect(result.headers.get('x-correlation-id')).to.be.a('string');
        expect(ms).to.be.below(1_000);
        expect((await f.api.get('/api/v1/customers/me')).status).to.equal(200);
      } finally {
        await f.stop();
      }
    });

    it('when a service stays silent past the upstream timeout, then 503 SERVICE_UNAVAILABLE soon after it', async () => {
      const f = await startGatewayFixture({ UPSTREAM_TIMEOUT_MS: '300' });
      try {
        f.customer.hang = true;
        const { result, ms } = await timed(() => f.api.post('/api/v1/auth/refresh', { refreshToken: 'x' }));
        expect(result.status).to.equal(503);
        expect(result.body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect(ms).to.be.within(250, 1_000);
      } finally {
        await f.stop();
      }
    });

    describe('circuit breaker', () => {
      let f: GatewayFixture;
      beforeEach(async () => {
        f = await startGatewayFixture({ BREAKER_VOLUME_THRESHOLD: '3', BREAKER_ERROR_THRESHOLD_PERCENT: '50', BREAKER_RESET_MS: '400' });
      });
      afterEach(() => f.stop());

      it('when a service keeps answering 503 without naming a code (not serving), then the breaker opens and requests get 503 without reaching it, until it recovers', async () => {
        f.customer.failWith = 503;
        for (let i = 0; i < 3; i += 1) {
          const passedOn = await f.api.get('/api/v1/customers/me');
          expect(passedOn.status).to.equal(503);
          expect(passedOn.body.error.message).to.equal('fake failure');
        }
        const seen = f.customer.seen.length;
        const { result, ms } = await timed(() => f.api.get('/api/v1/customers/me'));
        expect(result.status).to.equal(503);
        expect(result.body.error).to.include({ code: 'SERVICE_UNAVAILABLE' });
        expect(ms).to.be.below(200);
        expect(f.customer.seen.length).to.equal(seen);
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'open' });
        expect((await f.ops.get('/metrics')).body).to.contain('gateway_circuit_breaker_state{upstream="customer",service="gateway"} 2');

        f.customer.failWith = undefined;
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await f.api.get('/api/v1/customers/me')).status).to.equal(200);
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it('when a service answers 500, then that counts as an answer: it reaches the client and the breaker stays closed', async () => {
        f.customer.failWith = 500;
        for (let i = 0; i < 6; i += 1) expect((await f.api.get('/api/v1/customers/me')).status).to.equal(500);
        expect(f.customer.seen.filter((r) => r.path === '/customers/me')).to.have.length(6);
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it("when a service answers its own 502 (a system behind it failed, PAYMENT_PROVIDER_ERROR), then the answer reaches the client and the service's breaker stays closed", async () => {
        f.customer.failWith = 502;
        for (let i = 0; i < 6; i += 1) {
          const answer = await f.api.get('/api/v1/customers/me');
          expect(answer.status).to.equal(502);
          expect(answer.body.error.code).to.equal('PAYMENT_PROVIDER_ERROR');
        }
        expect(f.customer.seen.filter((r) => r.path === '/customers/me')).to.have.length(6);
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it("when a service answers its own 503 (a service behind it is down: its X-Error-Code says so), then the answer reaches the client and the service's breaker stays closed", async () => {
        f.customer.failWith = 503;
        f.customer.failWithVerdict = true;
        for (let i = 0; i < 6; i += 1) {
          const answer = await f.api.get('/api/v1/customers/me');
          expect(answer.status).to.equal(503);
          expect(answer.body.error.message).to.equal('fake failure');
        }
        expect(f.customer.seen.filter((r) => r.path === '/customers/me')).to.have.length(6);
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it('when connections are refused, then they count as failures and open the breaker', async () => {
        await f.customer.stop();
        for (let i = 0; i < 3; i += 1) expect((await f.api.get('/api/v1/customers/me')).body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect((await f.ops.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'open' });
      });
    });

    describe('breaker groups', () => {
      let f: GatewayFixture;
      beforeEach(async () => {
        f = await startGatewayFixture({ UPSTREAM_TIMEOUT_MS: '200', BREAKER_VOLUME_THRESHOLD: '3', BREAKER_RESET_MS: '60000' });
      });
      afterEach(() => f.stop());

      it('when logins keep timing out at the customer service, then the credentials breaker opens and logins get 503 at once, while the key set and the profile keep answering', async () => {
        f.customer.hangPaths.add('/auth/login');
        const token = await f.customer.sign();

        for (let i = 0; i < 3; i += 1) {
          const timedOut = await f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'secret123' });
          expect(timedOut.status).to.equal(503);
          expect(timedOut.body.error.code).to.equal('SERVICE_UNAVAILABLE');
        }
        const seen = f.customer.seen.length;
        const { result: refused, ms } = await timed(() => f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'secret123' }));

        expect(refused.status).to.equal(503);
        expect(refused.body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect(ms).to.be.below(200);
        expect(f.customer.seen.length).to.equal(seen);
        // Registration hashes a password too: same group, same open breaker.
        expect((await f.api.post('/api/v1/customers', { email: 'b@example.com' })).body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect(f.customer.seen.length).to.equal(seen);
        const jwks = await f.api.get('/api/v1/auth/jwks');
        expect(jwks.status).to.equal(200);
        expect(jwks.body.keys).to.be.an('array').with.length.above(0);
        const profile = await f.api.get('/api/v1/customers/me', { token });
        expect(profile.status).to.equal(200);
        expect(profile.body.path).to.equal('/customers/me');
        const ready = await f.ops.get('/health/ready');
        expect(ready.body.upstreams['customer:credentials']).to.deep.equal({ breaker: 'open' });
        expect(ready.body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
        const metrics = (await f.ops.get('/metrics')).body;
        expect(metrics).to.contain('gateway_circuit_breaker_state{upstream="customer:credentials",service="gateway"} 2');
        expect(metrics).to.contain('gateway_circuit_breaker_state{upstream="customer",service="gateway"} 0');
      });
    });

    describe('stalled clients', () => {
      let customer: FakeCustomerService;
      let f: GatewayFixture;
      beforeEach(async () => {
        customer = await startFakeCustomerService();
        // The fake stands in for the catalog too: a second upstream that waits for the whole body.
        f = await startGatewayFixture({ UPSTREAM_TIMEOUT_MS: '300', AUTH_RATE_LIMIT_MAX: '50', CATALOG_SERVICE_URL: customer.url }, customer);
      });
      afterEach(async () => {
        await f.stop();
        await customer.stop();
      });

      it('when a client sends half of its login body and stalls, then 408 REQUEST_TIMEOUT in the error shape after the upstream timeout, and the connection is closed', async () => {
        const response = await rawRequest(f.gateway.url, halfSent('POST', '/api/v1/auth/login'));

        expect(response.status).to.equal(408);
        expect(response.headers['content-type']).to.match(/^application\/json/);
        expect(response.headers.connection).to.equal('close');
        expect(response.headers['x-correlation-id']).to.be.a('string');
        expect(response.body.error).to.include({ code: 'REQUEST_TIMEOUT' });
        expect(response.body.error.message).to.be.a('string');
        expect(response.ms).to.be.within(250, 2_000);
      });

      it('when many clients stall mid-body, on logins and on another service, then no breaker opens and a complete login and the key set answer at once', async () => {
        const stalled = await Promise.all([
          ...Array.from({ length: 8 }, () => rawRequest(f.gateway.url, halfSent('POST', '/api/v1/auth/login'))),
          ...Array.from({ length: 6 }, () => rawRequest(f.gateway.url, halfSent('GET', '/api/v1/categories'))),
        ]);

        for (const response of stalled) {
          expect(response.status).to.equal(408);
          expect(response.body.error.code).to.equal('REQUEST_TIMEOUT');
        }
        const { upstreams } = (await f.ops.get('/health/ready')).body;
        expect(upstreams['customer:credentials']).to.deep.equal({ breaker: 'closed' });
        expect(upstreams.customer).to.deep.equal({ breaker: 'closed' });
        expect(upstreams.catalog).to.deep.equal({ breaker: 'closed' });
        const login = await timed(() => f.api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'secret123' }));
        expect(login.result.status).to.equal(200);
        expect(login.result.body.path).to.equal('/auth/login');
        expect(login.ms).to.be.below(200);
        const jwks = await timed(() => f.api.get('/api/v1/auth/jwks'));
        expect(jwks.result.status).to.equal(200);
        expect(jwks.ms).to.be.below(200);
        expect((await f.api.get('/api/v1/categories')).status).to.equal(200);
      });
    });
  });
});
