import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ADMIN, PASSWORD, sessionIdOf, startCustomerFixture, type CustomerFixture } from './customer.fixture';

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
    it('when a customer is suspended, then 200 with the time, every session ends and both events are published', async () => {
      const { customerId, email, accessToken, refreshToken } = await f.signedInCustomer();
      const other = await f.login(email);

      const response = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'chargebacks' }, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('suspended');
      expect(Date.parse(response.body.suspendedAt)).to.be.closeTo(Date.now(), 10_000);
      for (const session of [{ accessToken, refreshToken }, other]) {
        expect((await f.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).to.equal(401);
        expect((await f.api.get('/customers/me', { token: session.accessToken })).body.error.code).to.equal('ACCOUNT_SUSPENDED');
      }
      const suspended = (await f.events('customer.suspended')).filter((e) => e.data.customerId === customerId);
      expect(suspended.map((e) => e.data)).to.deep.equal([{ customerId, email, reason: 'chargebacks', suspendedAt: response.body.suspendedAt }]);
      const invalidated = (await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customerId);
      expect(invalidated).to.have.length(1);
      expect(invalidated[0]?.data).to.include({ customerId, notBefore: response.body.suspendedAt, reason: 'suspended' });
      expect(invalidated[0]?.data.sessionIds).to.have.members([sessionIdOf(accessToken), sessionIdOf(other.accessToken)]);
    });

    it('when the customer is already suspended, then 200 with the first suspension time and no new events', async () => {
      const { customerId } = await f.register();
      const first = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'once' }, { token: admin });
      const second = await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'twice' }, { token: admin });
      expect(second.status).to.equal(200);
      expect(second.body).to.deep.equal(first.body);
      expect((await f.events('customer.suspended')).filter((e) => e.data.customerId === customerId)).to.have.length(1);
    });

    it('when an admin suspends their own account (in any letter case), then 409 CANNOT_SUSPEND_SELF and nothing changes', async () => {
      // A service of its own: were the admin suspended after all, no other test would lose its admin.
      const own = await startCustomerFixture();
      try {
        const { accessToken, customer } = await own.login(ADMIN.email, ADMIN.password);
        const before = (await own.api.get('/customers/me', { token: accessToken })).body;

        const responses = [
          await own.api.post(`/admin/customers/${customer.id}/suspend`, { reason: 'oops' }, { token: accessToken }),
          await own.api.post(`/admin/customers/${customer.id.toUpperCase()}/suspend`, { reason: 'oops' }, { token: accessToken }),
        ];

        for (const response of responses) {
          expect(response.status).to.equal(409);
          expect(response.body.error.code).to.equal('CANNOT_SUSPEND_SELF');
        }
        const after = await own.api.get('/customers/me', { token: accessToken });
        expect(after.status, 'the admin session goes on').to.equal(200);
        expect(after.body).to.include({ status: 'verified', version: before.version });
        expect((await own.api.get('/admin/customers', { token: accessToken })).status).to.equal(200);
        expect(await own.events('customer.suspended')).to.have.length(0);
        expect(await own.events('customer.sessions-invalidated')).to.have.length(0);
      } finally {
        await own.stop();
      }
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

  describe('POST /admin/customers/:id/reactivate', () => {
    it('when a suspended verified customer is reactivated, then 200 verified, customer.reactivated is published, the old sessions stay ended and a new login works', async () => {
      const { customerId, email, accessToken, refreshToken } = await f.signedInCustomer();
      const adminId = (await f.login(ADMIN.email, ADMIN.password)).customer.id;
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'chargebacks' }, { token: admin });

      const response = await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'appeal granted' }, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('verified');
      expect(Date.parse(response.body.reactivatedAt)).to.be.closeTo(Date.now(), 10_000);
      const reactivated = (await f.events('customer.reactivated')).filter((e) => e.data.customerId === customerId);
      expect(reactivated.map((e) => e.data)).to.deep.equal([
        { customerId, status: 'verified', reason: 'appeal granted', reactivatedBy: adminId, reactivatedAt: response.body.reactivatedAt },
      ]);
      const old = await f.api.get('/customers/me', { token: accessToken });
      expect(old.status, 'the access token from before the suspension').to.equal(401);
      expect(old.body.error.code).to.equal('UNAUTHORIZED');
      expect((await f.api.post('/auth/refresh', { refreshToken })).status, 'the refresh token from before the suspension').to.equal(401);
      // Usually still the second of the suspension: the login waits for the next one, so its token is not outlawed.
      const again = await f.login(email);
      const me = await f.api.get('/customers/me', { token: again.accessToken });
      expect(me.status).to.equal(200);
      expect(me.body.status).to.equal('verified');
    });

    it('when a suspended unverified customer is reactivated, then it is unverified again', async () => {
      const { customerId, email } = await f.register();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'spam' }, { token: admin });

      const response = await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'not spam' }, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('unverified');
      expect((await f.login(email)).customer).to.include({ status: 'unverified' });
      const [event] = (await f.events('customer.reactivated')).filter((e) => e.data.customerId === customerId);
      expect(event?.data.status).to.equal('unverified');
    });

    it('when the customer is not suspended, then 200 with its current status, reactivatedAt null, and nothing changes or is published', async () => {
      const { customerId, accessToken } = await f.signedInCustomer();
      const before = (await f.api.get('/customers/me', { token: accessToken })).body;

      const response = await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'just in case' }, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({ status: 'verified', reactivatedAt: null });
      const after = await f.api.get('/customers/me', { token: accessToken });
      expect(after.status, 'the session goes on').to.equal(200);
      expect(after.body.version).to.equal(before.version);
      expect((await f.events('customer.reactivated')).filter((e) => e.data.customerId === customerId)).to.have.length(0);
    });

    it('when the customer was reactivated already, then a second reactivation changes nothing and publishes nothing', async () => {
      const { customerId } = await f.register();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'spam' }, { token: admin });
      await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'first' }, { token: admin });

      const second = await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'second' }, { token: admin });

      expect(second.body).to.deep.equal({ status: 'unverified', reactivatedAt: null });
      expect((await f.events('customer.reactivated')).filter((e) => e.data.customerId === customerId).map((e) => e.data.reason)).to.deep.equal(['first']);
    });

    it('when the customer does not exist, then 404 CUSTOMER_NOT_FOUND', async () => {
      const response = await f.api.post(`/admin/customers/${randomUUID()}/reactivate`, { reason: 'x' }, { token: admin });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('CUSTOMER_NOT_FOUND');
    });

    it('when the reason is missing, then 400 VALIDATION_ERROR and the customer stays suspended', async () => {
      const { customerId, email } = await f.register();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'spam' }, { token: admin });

      const response = await f.api.post(`/admin/customers/${customerId}/reactivate`, {}, { token: admin });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      expect((await f.api.post('/auth/login', { email, password: PASSWORD })).body.error.code).to.equal('ACCOUNT_SUSPENDED');
    });

    it('when a customer (not an admin) asks, then 403 FORBIDDEN and the customer stays suspended', async () => {
      const { accessToken } = await f.signedInCustomer();
      const { customerId, email } = await f.register();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'spam' }, { token: admin });

      const response = await f.api.post(`/admin/customers/${customerId}/reactivate`, { reason: 'let me in' }, { token: accessToken });

      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('FORBIDDEN');
      expect((await f.api.post('/auth/login', { email, password: PASSWORD })).body.error.code).to.equal('ACCOUNT_SUSPENDED');
      expect((await f.events('customer.reactivated')).filter((e) => e.data.customerId === customerId)).to.have.length(0);
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
    it('when probed on the operations port, then /health/live and /health/ready answer 200 with database and broker ok and /metrics exposes request durations', async () => {
      expect(f.service.opsUrl).to.not.equal(f.service.url);
      expect((await f.ops.get('/health/live')).status).to.equal(200);
      const ready = await f.ops.get('/health/ready');
      expect(ready.status).to.equal(200);
      expect(ready.body).to.deep.equal({ status: 'ok', serving: true, checks: { database: 'ok', broker: 'ok' } });
      await f.api.get('/auth/jwks');
      const metrics = await f.ops.get('/metrics');
      expect(metrics.status).to.equal(200);
      expect(metrics.body).to.contain('http_request_duration_seconds_bucket');
    });

    it('when /health/ready or /metrics is asked on the main port, then 404 NOT_FOUND; /health/live answers there too', async () => {
      for (const path of ['/health/ready', '/metrics']) {
        const response = await f.api.get(path);
        expect(response.status, path).to.equal(404);
        expect(response.body.error.code, path).to.equal('NOT_FOUND');
      }
      const live = await f.api.get('/health/live');
      expect(live.status).to.equal(200);
      expect(live.body).to.deep.equal({ status: 'ok' });
    });

    it('when a route does not exist, then 404 NOT_FOUND in the error shape with a correlation id', async () => {
      const response = await f.api.get('/nope', { headers: { 'x-correlation-id': 'abc-123' } });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('NOT_FOUND');
      expect(response.headers.get('x-correlation-id')).to.equal('abc-123');
    });
  });
});
