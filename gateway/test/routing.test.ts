import http from 'node:http';
import { expect } from 'chai';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';

/** A request exactly as written, without the URL normalization fetch applies. */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method: 'GET', path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway', () => {
  describe('routing', () => {
    let f: GatewayFixture;
    before(async () => {
      f = await startGatewayFixture();
    });
    after(() => f.stop());

    it('when a public route is called, then the service gets it under its own path with the query string', async () => {
      const response = await f.api.get('/api/v1/customers/verify?token=abc&x=1');
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-upstream')).to.equal('fake-customer');
      expect(response.body).to.include({ method: 'GET', path: '/customers/verify?token=abc&x=1' });
      expect(response.body.headers.host).to.equal(`127.0.0.1:${f.customer.port}`);
      expect(response.body.headers['x-forwarded-for']).to.be.a('string');
    });

    it('when a service answers without security headers, then the gateway adds its own, as on every answer it makes itself', async () => {
      const proxied = await f.api.get('/api/v1/customers/me');
      const refused = await f.api.get('/api/v1/admin/customers');
      for (const response of [proxied, refused]) {
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(response.headers.get('content-security-policy')).to.be.a('string');
      }
      expect(refused.status).to.equal(401);
    });

    it('when a body is posted, then it reaches the service byte for byte, even when it is not JSON or larger than a service would parse', async () => {
      const malformed = '{"email": "a@example.com", broken';
      const small = await f.api.call('POST', '/api/v1/auth/login', { raw: malformed });
      expect(small.body).to.include({ method: 'POST', path: '/auth/login', body: malformed });
      expect(small.body.headers['content-type']).to.equal('application/json');

      const large = JSON.stringify({ blob: 'x'.repeat(300_000) });
      const big = await f.api.call('PUT', '/api/v1/customers/me/password', { raw: large });
      expect(big.status).to.equal(200);
      expect(big.body.body).to.equal(large);
    });

    it('when the client sends a correlation id, then the service gets it and the response echoes it', async () => {
      const response = await f.api.get('/api/v1/customers/me', { headers: { 'x-correlation-id': 'order-flow-42' } });
      expect(response.headers.get('x-correlation-id')).to.equal('order-flow-42');
      expect(response.body.headers['x-correlation-id']).to.equal('order-flow-42');
    });

    it('when the client sends no correlation id, then one is made, forwarded and returned', async () => {
      const response = await f.api.post('/api/v1/auth/logout');
      const id = response.headers.get('x-correlation-id');
      expect(id).to.match(/^[0-9a-f-]{36}$/);
      expect(response.body.headers['x-correlation-id']).to.equal(id);
    });

    it('when the route is unknown, then 404 NOT_FOUND in the error shape without calling a service', async () => {
      const before = f.customer.seen.length;
      for (const path of ['/api/v1/nope', '/api/v1/customersX', '/api/v2/customers', '/customers', '/']) {
        const response = await f.api.get(path);
        expect(response.status, path).to.equal(404);
        expect(response.body.error).to.include({ code: 'NOT_FOUND' });
        expect(response.body.error.message).to.be.a('string');
        expect(response.headers.get('x-correlation-id'), path).to.be.a('string');
      }
      expect(f.customer.seen.length).to.equal(before);
    });

    it('when a service-internal route is asked for, in any spelling, then 404 and the service is not called', async () => {
      const before = f.customer.seen.length;
      const queriesBefore = f.customer.invalidationQueries.length;
      for (const path of [
        '/internal/sessions/invalidations',
        '/api/v1/internal/sessions/invalidations',
        '/api/v1/customers/../internal/sessions/invalidations',
        '/api/v1/customers/%2e%2e/internal/sessions/invalidations',
        '/api/v1/customers/..%2Finternal/sessions/invalidations',
      ]) {
        const response = await rawGet(f.gateway.url, path);
        expect(response.status, path).to.equal(404);
        expect(response.body.error.code, path).to.equal('NOT_FOUND');
      }
      expect(f.customer.seen.length).to.equal(before);
      expect(f.customer.invalidationQueries.length).to.equal(queriesBefore);
    });

    it('when the liveness, readiness and metrics probes are asked, then they answer with the breaker state of every service and route group', async () => {
      expect((await f.api.get('/health/live')).status).to.equal(200);
      expect((await f.ops.get('/health/live')).status).to.equal(200);
      const ready = await f.ops.get('/health/ready');
      expect(ready.status).to.equal(200);
      expect(ready.body).to.include({ status: 'ok', serving: true, sessionInvalidations: 'loaded' });
      expect(ready.body.checks).to.deep.equal({ broker: 'ok' });
      expect(ready.body.upstreams.customer).to.deep.equal({ breaker: 'closed' });
      expect(ready.body.upstreams['customer:credentials']).to.deep.equal({ breaker: 'closed' });
      expect(ready.body.upstreams).to.have.keys('customer', 'customer:credentials', 'catalog', 'inventory', 'cart', 'order', 'payment', 'notification');
      const metrics = await f.ops.get('/metrics');
      expect(metrics.body).to.contain('gateway_circuit_breaker_state{upstream="customer",service="gateway"} 0');
      expect(metrics.body).to.contain('gateway_circuit_breaker_state{upstream="customer:credentials",service="gateway"} 0');
      expect(metrics.body).to.contain('route="/api/v1/customers"');
    });

    it('when /metrics or /health/ready is asked on the public port, then 404 NOT_FOUND in the error shape; only the operations port, a port of its own, serves them', async () => {
      const seen = f.customer.seen.length;

      for (const path of ['/metrics', '/health/ready', '/metrics/', '/health/ready?full=1']) {
        const response = await f.api.get(path);
        expect(response.status, path).to.equal(404);
        expect(response.body.error, path).to.include({ code: 'NOT_FOUND' });
        expect(response.body.error.message, path).to.be.a('string');
        expect(JSON.stringify(response.body), path).to.not.contain('gateway_circuit_breaker_state').and.not.contain('upstreams');
      }

      expect(f.customer.seen.length).to.equal(seen);
      expect(new URL(f.gateway.opsUrl).port).to.not.equal(new URL(f.gateway.url).port);
      expect((await f.ops.get('/metrics')).status).to.equal(200);
      expect((await f.ops.get('/health/ready')).status).to.equal(200);
      const api = await f.ops.get('/api/v1/customers/me');
      expect(api.status).to.equal(404);
      expect(api.body.error.code).to.equal('NOT_FOUND');
      expect(f.customer.seen.length).to.equal(seen);
    });
  });
});
