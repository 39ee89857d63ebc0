import { expect } from 'chai';
import { closedPort, startGatewayFixture, type GatewayFixture } from './gateway.fixture';

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await call();
  return { result, ms: Date.now() - started };
}

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

      it('when a service keeps answering 503, then the breaker opens and requests get 503 without reaching it, until it recovers', async () => {
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
        expect((await f.api.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'open' });
        expect((await f.api.get('/metrics')).body).to.contain('gateway_circuit_breaker_state{upstream="customer",service="gateway"} 2');

        f.customer.failWith = undefined;
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await f.api.get('/api/v1/customers/me')).status).to.equal(200);
        expect((await f.api.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it('when a service answers 500, then that counts as an answer: it reaches the client and the breaker stays closed', async () => {
        f.customer.failWith = 500;
        for (let i = 0; i < 6; i += 1) expect((await f.api.get('/api/v1/customers/me')).status).to.equal(500);
        expect(f.customer.seen.filter((r) => r.path === '/customers/me')).to.have.length(6);
        expect((await f.api.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      });

      it('when connections are refused, then they count as failures and open the breaker', async () => {
        await f.customer.stop();
        for (let i = 0; i < 3; i += 1) expect((await f.api.get('/api/v1/customers/me')).body.error.code).to.equal('SERVICE_UNAVAILABLE');
        expect((await f.api.get('/health/ready')).body.upstreams.customer).to.deep.equal({ breaker: 'open' });
      });
    });
  });
});
