import { expect } from 'chai';
import { sql } from '@shop/db';
import { countUnsent } from '@shop/db';
import { eventually, httpClient, startBrokerProxy, testAmqpUrl, type TcpProxy, verificationLinkOf } from '@shop/testkit';
import { PASSWORD, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

const SKIPPED = 'verification resend skipped: limit reached';

describe('customer service: registration and e-mail verification', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  // Verification mails without the one-a-minute interval (the daily limit stays 5).
  let noInterval: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
    noInterval = await startCustomerFixture({ VERIFICATION_RESEND_INTERVAL_SECONDS: '0' });
  });
  after(async () => {
    await f.stop();
    await noInterval.stop();
  });

  /** The verification links the customer was sent on request (resend), as published, oldest first. */
  const resentLinks = async (fixture: CustomerFixture, customerId: string) =>
    (await fixture.events('customer.verification-requested')).filter((e) => e.data.customerId === customerId).map((e) => e.data);

  /** Resends run after the answer: waits until the service has decided on this many for the customer (sent or skipped). */
  const resendsHandled = (fixture: CustomerFixture, customerId: string, count: number) =>
    eventually(
      async () => (await resentLinks(fixture, customerId)).length + fixture.logged(SKIPPED).filter((m) => m.customerId === customerId).length === count,
      10_000,
      `${count} resends handled`,
    );

  describe('POST /customers', () => {
    it('when the registration is valid, then 201 unverified and a customer.registered event carries the verification link', async () => {
      const email = uniqueEmail();
      const response = await f.api.post('/customers', { email, password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace' });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ status: 'unverified' });
      expect(response.body.customerId).to.be.a('string');
      expect(response.body.message).to.be.a('string');
      const [event] = (await f.events('customer.registered')).filter((e) => e.data.customerId === response.body.customerId);
      expect(event?.data).to.include({ email, firstName: 'Ada', lastName: 'Lovelace' });
      const { link, token } = verificationLinkOf(event?.data);
      expect(link).to.contain(`/verify?token=${encodeURIComponent(token)}`);
      expect(JSON.stringify(event), 'the token never travels in clear').not.to.contain(token);
    });

    it('when the password is too short or has no digit, then 400 PASSWORD_INVALID with the rules', async () => {
      for (const password of ['short1', 'no-digits-here']) {
        const response = await f.api.post('/customers', { email: uniqueEmail(), password, firstName: 'A', lastName: 'B' });
        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('PASSWORD_INVALID');
        expect(response.body.error.details.rules).to.include.members(['at least 8 characters', 'at least one digit']);
      }
    });

    it('when the e-mail is malformed, then 400 INVALID_EMAIL', async () => {
      const response = await f.api.post('/customers', { email: 'not-an-email', password: PASSWORD, firstName: 'A', lastName: 'B' });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('INVALID_EMAIL');
    });

    it('when the e-mail is already registered (in any letter case), then 409 EMAIL_EXISTS and nothing is written', async () => {
      const { email } = await f.register();
      const before = (await f.events('customer.registered')).length;
      const response = await f.api.post('/customers', { email: email.toUpperCase(), password: PASSWORD, firstName: 'A', lastName: 'B' });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('EMAIL_EXISTS');
      expect((await f.events('customer.registered')).length).to.equal(before);
    });

    it('when two registrations of one e-mail race, then exactly one succeeds', async () => {
      const email = uniqueEmail('race');
      const body = { email, password: PASSWORD, firstName: 'A', lastName: 'B' };
      const statuses = (await Promise.all([f.api.post('/customers', body), f.api.post('/customers', body), f.api.post('/customers', body)])).map((r) => r.status);
      expect(statuses.sort()).to.deep.equal([201, 409, 409]);
    });

    it('when a field is missing, has the wrong type or is unknown, then 400 VALIDATION_ERROR listing the fields', async () => {
      const missing = await f.api.post('/customers', { email: uniqueEmail(), password: PASSWORD, firstName: 'A' });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('VALIDATION_ERROR');
      expect(missing.body.error.details.fields.map((x: { field: string }) => x.field)).to.deep.equal(['lastName']);

      const wrongType = await f.api.post('/customers', { email: uniqueEmail(), password: 12345678, firstName: 'A', lastName: 'B' });
      expect(wrongType.status).to.equal(400);
      expect(wrongType.body.error.code).to.equal('VALIDATION_ERROR');

      const unknown = await f.api.post('/customers', { email: uniqueEmail(), password: PASSWORD, firstName: 'A', lastName: 'B', role: 'admin' });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.details.fields[0].field).to.equal('role');
    });

    it('when the body is malformed JSON, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.call('POST', '/customers', { raw: '{"email": "a@b.co",' });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });

    it('when the body is larger than the limit, then 413 PAYLOAD_TOO_LARGE, not a 5xx', async () => {
      const response = await f.api.post('/customers', { email: uniqueEmail(), password: PASSWORD, firstName: 'x'.repeat(200_000), lastName: 'B' });
      expect(response.status).to.equal(413);
      expect(response.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    });

    it('when the body is not JSON at all, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.call('POST', '/customers', { raw: 'email=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('POST /customers/verify', () => {
    it('when the token is valid, then 200 verified and customer.verified is emitted; the same link again changes nothing', async () => {
      const { customerId, token } = await f.register();
      const first = await f.api.post('/customers/verify', { token });
      expect(first.status).to.equal(200);
      expect(first.body).to.deep.equal({ status: 'verified' });
      const { rows } = await sql<{ version: number }>`SELECT version FROM customers WHERE id = ${customerId}`.execute(f.service.deps.db);

      const again = await f.api.post('/customers/verify', { token });
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal({ status: 'verified' });
      const after = await sql<{ version: number }>`SELECT version FROM customers WHERE id = ${customerId}`.execute(f.service.deps.db);
      expect(after.rows[0]?.version).to.equal(rows[0]?.version);
      expect((await f.events('customer.verified')).filter((e) => e.data.customerId === customerId)).to.have.length(1);
    });

    it('when the token is unknown, then 400 INVALID_TOKEN', async () => {
      const response = await f.api.post('/customers/verify', { token: 'no-such-token' });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('INVALID_TOKEN');
    });

    it('when the token has expired, then 400 INVALID_TOKEN and the customer stays unverified', async () => {
      const { customerId, token } = await f.register();
      await sql`UPDATE verification_tokens SET expires_at = now() - interval '1 second' WHERE customer_id = ${customerId}`.execute(f.service.deps.db);
      const response = await f.api.post('/customers/verify', { token });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('INVALID_TOKEN');
      const { rows } = await sql<{ status: string }>`SELECT status FROM customers WHERE id = ${customerId}`.execute(f.service.deps.db);
      expect(rows[0]?.status).to.equal('unverified');
    });

    it('when a newer token was sent (resend), then the older one is INVALID_TOKEN and the newer one works', async () => {
      const { customerId, email, token: older } = await noInterval.register();
      expect((await noInterval.api.post('/customers/verify/resend', { email })).status).to.equal(202);
      const [resent] = await eventually(async () => {
        const links = await resentLinks(noInterval, customerId);
        return links.length > 0 && links;
      }, 10_000, 'the resent link');

      const stale = await noInterval.api.post('/customers/verify', { token: older });
      const fresh = await noInterval.api.post('/customers/verify', { token: verificationLinkOf(resent).token });

      expect(stale.status).to.equal(400);
      expect(stale.body.error.code).to.equal('INVALID_TOKEN');
      expect(fresh.body).to.deep.equal({ status: 'verified' });
    });

    it('when the token is missing, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.post('/customers/verify', {});
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('POST /customers/verify/resend', () => {
    it('when the e-mail is unknown, malformed, verified or unverified, then 202 with the same body, and only the unverified account is mailed', async () => {
      const verified = await noInterval.signedInCustomer();
      const unverified = await noInterval.register();
      const unknown = uniqueEmail('nobody');

      const responses = [];
      for (const email of [unknown, 'not-an-email', verified.email, unverified.email]) {
        responses.push(await noInterval.api.post('/customers/verify/resend', { email }));
      }

      expect(responses.map((r) => r.status)).to.deep.equal([202, 202, 202, 202]);
      expect(responses[0]?.body.message).to.be.a('string');
      for (const response of responses) expect(response.body).to.deep.equal(responses[0]?.body);
      // The unverified account was asked for last, so by the time its mail is out the earlier requests have been decided.
      const [link] = await eventually(async () => {
        const links = await resentLinks(noInterval, unverified.customerId);
        return links.length > 0 && links;
      }, 10_000, 'the mail to the unverified account');
      expect(link?.email).to.equal(unverified.email);
      const mailed = (await noInterval.events('customer.verification-requested')).map((e) => e.data.email);
      expect(mailed).to.not.include(unknown);
      expect(mailed).to.not.include(verified.email);
    });

    it('when resend is asked 20 times right after registration, then 202 each time and no mail goes out: one a minute, the registration mail included', async () => {
      const { customerId, email } = await f.register();

      const responses = await Promise.all(Array.from({ length: 20 }, () => f.api.post('/customers/verify/resend', { email })));

      expect(responses.map((r) => r.status)).to.deep.equal(Array(20).fill(202));
      await resendsHandled(f, customerId, 20);
      expect(await resentLinks(f, customerId)).to.have.length(0);
      expect((await f.events('customer.registered')).filter((e) => e.data.customerId === customerId)).to.have.length(1);
    });

    it('when resend is asked 20 times with no interval, then exactly 4 more mails go out: five a day, the registration mail included', async () => {
      const { customerId, email } = await noInterval.register();

      const responses = await Promise.all(Array.from({ length: 20 }, () => noInterval.api.post('/customers/verify/resend', { email })));

      expect(responses.map((r) => r.status)).to.deep.equal(Array(20).fill(202));
      await resendsHandled(noInterval, customerId, 20);
      expect(await resentLinks(noInterval, customerId)).to.have.length(4);

      expect((await noInterval.api.post('/customers/verify/resend', { email })).status).to.equal(202);
      await resendsHandled(noInterval, customerId, 21);
      const links = await resentLinks(noInterval, customerId);
      expect(links, 'never more, however many calls').to.have.length(4);
      expect((await noInterval.api.post('/customers/verify', { token: verificationLinkOf(links.at(-1)).token })).body, 'the newest link works').to.deep.equal({ status: 'verified' });
    });
  });

  describe('when RabbitMQ is unreachable', () => {
    let proxy: TcpProxy;
    let cut: CustomerFixture;
    let ops: ReturnType<typeof httpClient>;
    before(async () => {
      const amqpUrl = await testAmqpUrl();
      proxy = await startBrokerProxy(amqpUrl);
      cut = await startCustomerFixture({ AMQP_URL: proxy.via(amqpUrl), OUTBOX_POLL_INTERVAL_MS: '100' });
      ops = httpClient(cut.service.opsUrl);
      await eventually(async () => (await ops.get('/health/ready')).status === 200, 10_000, 'ready');
    });
    after(async () => {
      await cut.stop();
      await proxy.close();
    });

    it('then readiness says the broker is unavailable, registration still succeeds, the event waits in the outbox and is published once the broker is back', async () => {
      proxy.cut();
      const notReady = await eventually(async () => {
        const response = await ops.get('/health/ready');
        return response.status === 503 && response;
      }, 10_000, 'not ready');
      expect(notReady.body).to.deep.equal({ status: 'unavailable', serving: true, checks: { database: 'ok', broker: 'unavailable' } });

      const response = await cut.api.post('/customers', { email: uniqueEmail('offline'), password: PASSWORD, firstName: 'A', lastName: 'B' });
      expect(response.status).to.equal(201);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countUnsent(cut.service.deps.db)).to.equal(1);
      expect(cut.tap.events('customer.registered')).to.have.length(0);

      proxy.restore();
      await eventually(async () => (await countUnsent(cut.service.deps.db)) === 0, 15_000, 'outbox drained');
      await cut.tap.waitFor('customer.registered', (data: { customerId: string }) => data.customerId === response.body.customerId);
      await eventually(async () => (await ops.get('/health/ready')).status === 200, 10_000, 'ready again');
    });
  });
});
