import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ADMIN, startCustomerFixture, type CustomerFixture } from './customer.fixture';

describe('customer service: administration', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  let admin: string;
  before(async () => {
    f = await startCustomerFixture();
    admin = await f.adminToken();
  });
  after(() => f.stop());

  describe('bootstrap admin', () => {
    it('when ADMIN_EMAIL and ADMIN_PASSWORD are set, then that verified admin can log in', async () => {
      const response = await f.api.post('/auth/login', ADMIN);
      expect(response.body.customer).to.include({ email: ADMIN.email, role: 'admin', status: 'verified' });
    });
  });

  describe('GET /admin/customers', () => {
    it('when an admin asks, then customers come paginated, newest first, filterable by status and text', async () => {
      const tag = randomUUID().slice(0, 8);
      const a = await f.register({ firstName: `Zed${tag}` });
      const b = await f.register({ firstName: `Zed${tag}` });
      await f.api.post('/customers/verify', { token: b.token });

      const page = await f.api.get(`/admin/customers?q=zed${tag}&page=1&pageSize=1`, { token: admin });
      expect(page.status).to.equal(200);
      expect(page.body).to.include({ page: 1, pageSize: 1, total: 2 });
      expect(page.body.items.map((c: { id: string }) => c.id)).to.deep.equal([b.customerId]);

      const unverified = await f.api.get(`/admin/customers?q=zed${tag}&status=unverified`, { token: admin });
      expect(unverified.body.items.map((c: { id: string }) => c.id)).to.deep.equal([a.customerId]);
    });

    it('when the query is invalid, then 400 VALIDATION_ERROR', async () => {
      for (const query of ['pageSize=101', 'page=0', 'status=happy', 'extra=1']) {
        const response = await f.api.get(`/admin/customers?${query}`, { token: admin });
        expect(response.status, query).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when a customer (not an admin) asks, then 403 FORBIDDEN; without a token, 401', async () => {
      const { accessToken } = await f.signedInCustomer();
      expect((await f.api.get('/admin/customers', { token: accessToken })).body.error.code).to.equal('FORBIDDEN');
      expect((await f.api.get('/admin/customers')).status).to.equal(401);
    });
  });

  describe('POST /admin/customers/:id/suspend', () => {
    it('when a customer is suspended, then 200 with the time, sessions end and both events are emitted', async () => {
      const { customerId, accessToken, refreshToken } = await f.signedInCustomer();
      const response = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'chargebacks' }, { token: admin });
      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('suspended');
      expect(Date.parse(response.body.suspendedAt)).to.be.closeTo(Date.now(), 10_000);

      expect((await f.api.post('/auth/refresh', { refreshToken })).status).to.equal(401);
      expect((await f.api.get('/customers/me', { token: accessToken })).body.error.code).to.equal('ACCOUNT_SUSPENDED');
      const suspended = (await f.events('customer.suspended')).filter((e) => e.data.customerId === customerId);
      expect(suspended.map((e) => e.data.reason)).to.deep.equal(['chargebacks']);
      const invalidated = (await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customerId);
      expect(invalidated[0]?.data.notBefore).to.equal(response.body.suspendedAt);
    });

    it('when the customer is already suspended, then 200 with the first suspension time and no new events', async () => {
      const { customerId } = await f.register();
      const first = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'once' }, { token: admin });
      const second = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'twice' }, { token: admin });
      expect(second.status).to.equal(200);
      expect(second.body).to.deep.equal(first.body);
      expect((await f.events('customer.suspended')).filter((e) => e.data.customerId === customerId)).to.have.length(1);
    });

    it('when the customer does not exist, then 404 CUSTOMER_NOT_FOUND; a malformed id, 400', async () => {
      const missing = await f.api.post(`/admin/customers/${randomUUID()}/suspend`, { reason: 'x' }, { token: admin });
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('CUSTOMER_NOT_FOUND');
      expect((await f.api.post('/admin/customers/not-a-uuid/suspend', { reason: 'x' }, { token: admin })).status).to.equal(400);
    });

    it('when the reason is missing, then 400 VALIDATION_ERROR', async () => {
      const { customerId } = await f.register();
      expect((await f.api.post(`/admin/customers/${customerId}/suspend`, {}, { token: admin })).body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('GET /internal/sessions/invalidations', () => {
    it('when a customer was suspended after `since`, then they are listed with the notBefore instant', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const { customerId } = await f.register();
      const { body } = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'x' }, { token: admin });
      const response = await f.api.get(`/internal/sessions/invalidations?since=${encodeURIComponent(since)}`);
      expect(response.status).to.equal(200);
      expect(response.body.items).to.deep.include({ customerId, notBefore: body.suspendedAt });
    });
  });

  describe('health and metrics', () => {
    it('then /health/live and /health/ready answer 200 and /metrics exposes request durations', async () => {
      expect((await f.api.get('/health/live')).status).to.equal(200);
      const ready = await f.api.get('/health/ready');
      expect(ready.body).to.deep.equal({ status: 'ok', checks: { database: 'ok', broker: 'ok' } });
      const metrics = await f.api.get('/metrics');
      expect(metrics.body).to.contain('http_request_duration_seconds_bucket');
    });

    it('when a route does not exist, then 404 NOT_FOUND in the error shape with a correlation id', async () => {
      const response = await f.api.get('/nope', { headers: { 'x-correlation-id': 'abc-123' } });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('NOT_FOUND');
      expect(response.headers.get('x-correlation-id')).to.equal('abc-123');
    });
  });
});
