import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { customerSessionsInvalidated, routingKeyOf } from '@shop/contracts';
import { buildEnvelope } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { eventually, startTcpProxy, testAmqpUrl, testLogger } from '@shop/testkit';
import { startFakeCustomerService, type FakeCustomerService } from './fake-customer.fixture';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';

const secondsAgo = (s: number) => Math.floor(Date.now() / 1000) - s;

describe('gateway', () => {
  describe('sessions invalidated', () => {
    let broker: Broker;
    before(async () => {
      broker = connectBroker({ url: await testAmqpUrl(), name: 'gateway-test-publisher', logger: testLogger('test') });
      await eventually(() => broker.isConnected(), 10_000, 'the publisher to connect');
    });
    after(() => broker.close());

    /** Without `sessionIds` every session of the customer ends (a suspension); with them, only those. */
    async function publishInvalidation(customerId: string, notBefore: Date, sessionIds?: string[]): Promise<void> {
      const data = { customerId, notBefore: notBefore.toISOString(), ...(sessionIds && { sessionIds, reason: 'logout' }) };
      const envelope = buildEnvelope('customer', customerSessionsInvalidated, data, { type: 'customer', id: customerId, version: 2 });
      await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    }

    describe('by event', () => {
      let f: GatewayFixture;
      before(async () => {
        f = await startGatewayFixture();
      });
      after(() => f.stop());

      it('when customer.sessions-invalidated arrives, then the older tokens of that customer get 401 at once and newer ones pass', async () => {
        const customerId = randomUUID();
        const older = await f.customer.sign({ sub: customerId, iat: secondsAgo(30) });
        const bystander = await f.customer.sign({ iat: secondsAgo(30) });
        expect((await f.api.get('/api/v1/customers/me', { token: older })).status).to.equal(200);

        const notBefore = new Date();
        await publishInvalidation(customerId, notBefore);

        await eventually(async () => (await f.api.get('/api/v1/customers/me', { token: older })).status === 401, 5_000, 'the old token to be rejected');
        const seen = f.customer.seen.length;
        const rejected = await f.api.get('/api/v1/customers/me', { token: older });
        expect(rejected.body.error.code).to.equal('UNAUTHORIZED');
        expect(f.customer.seen.length).to.equal(seen);
        expect((await f.api.get('/api/v1/customers/me', { token: bystander })).status).to.equal(200);
        const newer = await f.customer.sign({ sub: customerId, iat: Math.ceil(notBefore.getTime() / 1000) });
        expect((await f.api.get('/api/v1/customers/me', { token: newer })).status).to.equal(200);
      });

      it('when customer.sessions-invalidated names sessions, then their tokens get 401 whenever issued, and the customer\'s other sessions pass', async () => {
        const customerId = randomUUID();
        const endedSession = randomUUID();
        const ended = await f.customer.sign({ sub: customerId, sid: endedSession, iat: secondsAgo(30) });
        const otherSession = await f.customer.sign({ sub: customerId, iat: secondsAgo(30) });
        expect((await f.api.get('/api/v1/customers/me', { token: ended })).status).to.equal(200);

        const notBefore = new Date();
        await publishInvalidation(customerId, notBefore, [endedSession]);

        await eventually(async () => (await f.api.get('/api/v1/customers/me', { token: ended })).status === 401, 5_000, 'the ended session to be rejected');
        const seen = f.customer.seen.length;
        const issuedLater = await f.customer.sign({ sub: customerId, sid: endedSession, iat: Math.ceil(notBefore.getTime() / 1000) + 1 });
        const rejected = await f.api.get('/api/v1/customers/me', { token: issuedLater });
        expect(rejected.status).to.equal(401);
        expect(rejected.body.error.code).to.equal('UNAUTHORIZED');
        expect(f.customer.seen.length).to.equal(seen);
        expect((await f.api.get('/api/v1/customers/me', { token: otherSession })).status).to.equal(200);
        expect(f.gateway.revokedSessions.notBeforeOf(customerId)).to.equal(undefined);
      });

      it('when an invalidation arrives that is older than the one known, then the newer instant stays', async () => {
        const customerId = randomUUID();
        const latest = new Date();
        await publishInvalidation(customerId, latest);
        await publishInvalidation(customerId, new Date(latest.getTime() - 60_000));
        await eventually(() => f.gateway.revokedSessions.notBeforeOf(customerId), 5_000, 'the invalidation');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(f.gateway.revokedSessions.notBeforeOf(customerId)?.toISOString()).to.equal(latest.toISOString());
      });
    });

    describe('at start-up', () => {
      it('when an invalidation is published the moment the gateway has started, then the gateway hears it', async () => {
        const customerId = randomUUID();
        const f = await startGatewayFixture();
        try {
          const token = await f.customer.sign({ sub: customerId, iat: secondsAgo(30) });

          await publishInvalidation(customerId, new Date());

          await eventually(() => f.gateway.revokedSessions.notBeforeOf(customerId), 3_000, 'the invalidation');
          expect((await f.api.get('/api/v1/customers/me', { token })).status).to.equal(401);
        } finally {
          await f.stop();
        }
      });
    });

    describe('loaded from the customer service', () => {
      let customer: FakeCustomerService;
      beforeEach(async () => {
        customer = await startFakeCustomerService();
      });
      afterEach(() => customer.stop());

      it('when the customer service lists recent invalidations at start-up, then the gateway rejects those tokens from its first request', async () => {
        const revoked = randomUUID();
        customer.invalidations = [{ customerId: revoked, notBefore: new Date().toISOString() }];
        const started = Date.now();
        const f = await startGatewayFixture({ ACCESS_TOKEN_TTL_SECONDS: '600' }, customer);
        try {
          expect(customer.invalidationQueries).to.have.length(1);
          const since = Date.parse(customer.invalidationQueries[0] as string);
          // The retention: the token lifetime plus a minute of leeway.
          expect(started - since).to.be.within(660_000 - 1_000, 660_000 + 5_000);

          const response = await f.api.get('/api/v1/customers/me', { token: await customer.sign({ sub: revoked, iat: secondsAgo(60) }) });
          expect(response.status).to.equal(401);
          expect(response.body.error.code).to.equal('UNAUTHORIZED');
          expect((await f.api.get('/api/v1/customers/me', { token: await customer.sign({ iat: secondsAgo(60) }) })).status).to.equal(200);
        } finally {
          await f.stop();
        }
      });

      it('when the customer service lists recently ended sessions at start-up, then the gateway refuses their tokens from its first request, and the customer\'s other sessions pass', async () => {
        const customerId = randomUUID();
        const endedSession = randomUUID();
        const revokedAt = new Date();
        customer.endedSessions = [{ customerId, sessionId: endedSession, revokedAt: revokedAt.toISOString() }];
        const f = await startGatewayFixture({}, customer);
        try {
          const seen = customer.seen.length;
          // Issued after the session ended: a session ends whatever its tokens' age.
          const token = await customer.sign({ sub: customerId, sid: endedSession, iat: Math.ceil(revokedAt.getTime() / 1000) + 1 });

          const response = await f.api.get('/api/v1/customers/me', { token });

          expect(response.status).to.equal(401);
          expect(response.body.error.code).to.equal('UNAUTHORIZED');
          expect(customer.seen.length).to.equal(seen);
          expect((await f.api.get('/api/v1/customers/me', { token: await customer.sign({ sub: customerId, iat: secondsAgo(60) }) })).status).to.equal(200);
        } finally {
          await f.stop();
        }
      });

      it('when the customer service is not answering yet, then the gateway starts anyway and loads the invalidations once it does', async () => {
        const revoked = randomUUID();
        customer.invalidations = [{ customerId: revoked, notBefore: new Date().toISOString() }];
        customer.invalidationFailures = 2;
        const f = await startGatewayFixture({}, customer);
        try {
          expect((await f.ops.get('/health/ready')).body.sessionInvalidations).to.equal('loading');
          await eventually(() => f.gateway.revokedSessions.notBeforeOf(revoked), 10_000, 'the invalidations to load');
          expect(customer.invalidationQueries.length).to.equal(3);
          expect((await f.ops.get('/health/ready')).body.sessionInvalidations).to.equal('loaded');
          expect((await f.api.get('/api/v1/customers/me', { token: await customer.sign({ sub: revoked, iat: secondsAgo(5) }) })).status).to.equal(401);
        } finally {
          await f.stop();
        }
      });

      it('when the broker connection drops and comes back, then what was published meanwhile is loaded from the customer service', async function () {
        this.timeout(20_000);
        const amqp = new URL(await testAmqpUrl());
        const line = await startTcpProxy(Number(amqp.port || 5672), amqp.hostname);
        amqp.port = String(line.port);
        const f = await startGatewayFixture({ AMQP_URL: amqp.toString() }, customer);
        try {
          const queries = customer.invalidationQueries.length;
          line.cut();
          await eventually(async () => (await f.ops.get('/health/ready')).status === 503, 5_000, 'readiness to notice the broker is gone');
          const missed = randomUUID();
          await publishInvalidation(missed, new Date());
          customer.invalidations = [{ customerId: missed, notBefore: new Date().toISOString() }];
          line.restore();
          await eventually(() => f.gateway.revokedSessions.notBeforeOf(missed), 10_000, 'the missed invalidation');
          expect(customer.invalidationQueries.length).to.be.greaterThan(queries);
          expect((await f.ops.get('/health/ready')).status).to.equal(200);
        } finally {
          await f.stop();
          await line.close();
        }
      });
    });

    describe('by logout', () => {
      let f: GatewayFixture;
      before(async () => {
        f = await startGatewayFixture();
      });
      after(() => f.stop());
      afterEach(() => f.customer.statusOf.clear());

      it('when the customer service accepts a logout with a verified token, then that token gets 401 on the very next request, on every route, without reaching the service, and the customer\'s other sessions pass', async () => {
        const customerId = randomUUID();
        const token = await f.customer.sign({ sub: customerId });
        const otherSession = await f.customer.sign({ sub: customerId });
        f.customer.statusOf.set('POST /auth/logout', 204);

        const logout = await f.api.post('/api/v1/auth/logout', undefined, { token });

        expect(logout.status).to.equal(204);
        const seen = f.customer.seen.length;
        for (const path of ['/api/v1/customers/me', '/api/v1/auth/jwks', '/api/v1/customers/me/addresses']) {
          const refused = await f.api.get(path, { token });
          expect(refused.status, path).to.equal(401);
          expect(refused.body.error.code, path).to.equal('UNAUTHORIZED');
        }
        expect(f.customer.seen.length).to.equal(seen);
        expect(f.gateway.revokedSessions.notBeforeOf(customerId)).to.equal(undefined);
        expect((await f.api.get('/api/v1/customers/me', { token: otherSession })).status).to.equal(200);
      });

      it("when the customer service accepts an erasure (DELETE /customers/me), then every token of that customer gets 401 at once, not only the caller's", async () => {
        const customerId = randomUUID();
        const token = await f.customer.sign({ sub: customerId });
        const otherSession = await f.customer.sign({ sub: customerId });
        const someoneElse = await f.customer.sign();
        f.customer.statusOf.set('DELETE /customers/me', 204);

        const erased = await f.api.delete('/api/v1/customers/me', { token });

        expect(erased.status).to.equal(204);
        for (const bearer of [token, otherSession]) expect((await f.api.get('/api/v1/customers/me', { token: bearer })).status).to.equal(401);
        expect((await f.api.get('/api/v1/customers/me', { token: someoneElse })).status).to.equal(200);
      });

      it('when the customer service refuses a logout, then the session goes on; once it accepts one, the session ends', async () => {
        const token = await f.customer.sign();
        f.customer.statusOf.set('POST /auth/logout', 401);

        const refusedLogout = await f.api.post('/api/v1/auth/logout', undefined, { token });

        expect(refusedLogout.status).to.equal(401);
        expect((await f.api.get('/api/v1/customers/me', { token })).status).to.equal(200);
        f.customer.statusOf.set('POST /auth/logout', 204);
        expect((await f.api.post('/api/v1/auth/logout', undefined, { token })).status).to.equal(204);
        expect((await f.api.get('/api/v1/customers/me', { token })).status).to.equal(401);
      });
    });
  });
});
