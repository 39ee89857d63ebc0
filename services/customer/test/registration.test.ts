import { expect } from 'chai';
import { sql } from '@shop/db';
import { startTcpProxy, testAmqpUrl, eventually, type TcpProxy } from '@shop/testkit';
import { countUnsent } from '@shop/db';
import { PASSWORD, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

describe('customer service: registration and e-mail verification', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

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
      expect(event?.data.verificationUrl).to.contain(encodeURIComponent(event?.data.verificationToken));
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
      const { customerId, email, token: older } = await f.register();
      expect((await f.api.post('/customers/verify/resend', { email })).status).to.equal(202);
      const newer = (await f.events('customer.verification-requested')).find((e) => e.data.customerId === customerId)?.data.verificationToken;
      expect((await f.api.post('/customers/verify', { token: older })).body.error.code).to.equal('INVALID_TOKEN');
      expect((await f.api.post('/customers/verify', { token: newer })).body).to.deep.equal({ status: 'verified' });
    });

    it('when the token is missing, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.post('/customers/verify', {});
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('POST /customers/verify/resend', () => {
    it('when the e-mail is unknown, malformed or already verified, then 202 all the same and no mail is asked for', async () => {
      const verified = await f.signedInCustomer();
      const before = (await f.events('customer.verification-requested')).length;
      for (const email of [uniqueEmail('nobody'), 'not-an-email', verified.email]) {
        const response = await f.api.post('/customers/verify/resend', { email });
        expect(response.status).to.equal(202);
        expect(response.body.message).to.be.a('string');
      }
      expect((await f.events('customer.verification-requested')).length).to.equal(before);
    });
  });

  describe('when RabbitMQ is unreachable', () => {
    let proxy: TcpProxy;
    let cut: CustomerFixture;
    before(async () => {
      const amqp = new URL(await testAmqpUrl());
      proxy = await startTcpProxy(Number(amqp.port || 5672));
      amqp.port = String(proxy.port);
      cut = await startCustomerFixture({ AMQP_URL: amqp.toString(), OUTBOX_POLL_INTERVAL_MS: '100' });
      await eventually(async () => (await cut.api.get('/health/ready')).status === 200, 10_000, 'ready');
    });
    after(async () => {
      await cut.stop();
      await proxy.close();
    });

    it('then registration still succeeds, the event waits in the outbox and is published once the broker is back', async () => {
      proxy.cut();
      await eventually(async () => (await cut.api.get('/health/ready')).status === 503, 10_000, 'not ready');
      const response = await cut.api.post('/customers', { email: uniqueEmail('offline'), password: PASSWORD, firstName: 'A', lastName: 'B' });
      expect(response.status).to.equal(201);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countUnsent(cut.service.deps.db)).to.equal(1);
      proxy.restore();
      await eventually(async () => (await countUnsent(cut.service.deps.db)) === 0, 15_000, 'outbox drained');
    });
  });
});
