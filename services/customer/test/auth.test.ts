import { expect } from 'chai';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { sql } from '@shop/db';
import { PASSWORD, sessionIdOf, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

/**
 * The session is over: its newest refresh token and its access token are refused, and one
 * customer.sessions-invalidated event on the broker names it alone, with the reason.
 */
async function expectSessionEnded(f: CustomerFixture, pair: { accessToken: string; refreshToken: string }, sessionId: string, customerId: string, reason: string) {
  const refresh = await f.api.post('/auth/refresh', { refreshToken: pair.refreshToken });
  expect(refresh.status, 'the refresh token of the ended session').to.equal(401);
  expect(refresh.body.error.code).to.equal('INVALID_TOKEN');
  const me = await f.api.get('/customers/me', { token: pair.accessToken });
  expect(me.status, 'the access token of the ended session').to.equal(401);
  expect(me.body.error.code).to.equal('UNAUTHORIZED');
  const events = (await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customerId);
  expect(events.map((e) => ({ ...e.data, notBefore: undefined }))).to.deep.equal([{ customerId, notBefore: undefined, sessionIds: [sessionId], reason }]);
  expect(Date.parse(events[0]?.data.notBefore)).to.be.closeTo(Date.now(), 10_000);
}

describe('customer service: login and sessions', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

  describe('POST /auth/login', () => {
    it('when the credentials are right, then 200 with an access token, a refresh token, its lifetime and the profile', async () => {
      const { email, customerId } = await f.register();
      const response = await f.api.post('/auth/login', { email, password: PASSWORD });
      expect(response.status).to.equal(200);
      expect(response.body.accessToken).to.be.a('string');
      expect(response.body.refreshToken).to.be.a('string');
      expect(response.body.expiresIn).to.equal(900);
      expect(response.body.customer).to.include({ id: customerId, email, status: 'unverified', role: 'customer' });
      expect(response.body.customer).to.not.have.property('passwordHash');
    });

    it('when the e-mail is unknown or the password wrong, then the same 401 INVALID_CREDENTIALS, both after a password hash check', async () => {
      const { email } = await f.register();
      const started = Date.now();
      const unknown = await f.api.post('/auth/login', { email: uniqueEmail('nobody'), password: PASSWORD });
      const unknownMs = Date.now() - started;
      const wrong = await f.api.post('/auth/login', { email, password: 'wrong-password-1' });
      expect(unknown.status).to.equal(401);
      expect(wrong.status).to.equal(401);
      expect(unknown.body).to.deep.equal(wrong.body);
      expect(unknown.body.error.code).to.equal('INVALID_CREDENTIALS');
      // Without the decoy hash an unknown e-mail answers in about a millisecond; argon2id takes far longer.
      expect(unknownMs).to.be.greaterThan(5);
    });

    it('when the e-mail is written in another case, then login still works', async () => {
      const { email } = await f.register();
      expect((await f.api.post('/auth/login', { email: email.toUpperCase(), password: PASSWORD })).status).to.equal(200);
    });

    it('when the body lacks the password, then 400 VALIDATION_ERROR', async () => {
      const response = await f.api.post('/auth/login', { email: uniqueEmail() });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });

    it('when the account is suspended, then 403 ACCOUNT_SUSPENDED (and a wrong password still says INVALID_CREDENTIALS)', async () => {
      const { email, customerId } = await f.register();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'fraud' }, { token: await f.adminToken() });
      const response = await f.api.post('/auth/login', { email, password: PASSWORD });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('ACCOUNT_SUSPENDED');
      expect((await f.api.post('/auth/login', { email, password: 'wrong-password-1' })).body.error.code).to.equal('INVALID_CREDENTIALS');
    });

    it('when an address has had 10 failed logins (the default), then the next login answers 429 RATE_LIMITED with Retry-After of about 15 minutes', async () => {
      const { email } = await f.register();
      for (let i = 0; i < 10; i += 1) {
        expect((await f.api.post('/auth/login', { email, password: 'wrong-password-1' })).status, `failure ${i + 1}`).to.equal(401);
      }

      const response = await f.api.post('/auth/login', { email, password: PASSWORD });

      expect(response.status).to.equal(429);
      expect(response.body.error.code).to.equal('RATE_LIMITED');
      expect(Number(response.headers.get('retry-after'))).to.be.within(890, 900);
    });

    describe('with LOGIN_MAX_FAILURES=3', () => {
      let throttled: CustomerFixture;
      before(async () => {
        throttled = await startCustomerFixture({ LOGIN_MAX_FAILURES: '3' });
      });
      after(() => throttled.stop());

      const failLogins = async (email: string, times: number) => {
        for (let i = 0; i < times; i += 1) {
          expect((await throttled.api.post('/auth/login', { email, password: 'wrong-password-1' })).status, `failure ${i + 1}`).to.equal(401);
        }
      };

      it('when an address has had 3 failed logins, then every login for it answers 429 RATE_LIMITED with Retry-After, the right password included', async () => {
        const { email } = await throttled.register();
        const bystander = await throttled.register();
        await failLogins(email, 3);

        const right = await throttled.api.post('/auth/login', { email, password: PASSWORD });
        const wrong = await throttled.api.post('/auth/login', { email: email.toUpperCase(), password: 'wrong-password-1' });

        for (const response of [right, wrong]) {
          expect(response.status).to.equal(429);
          expect(response.body.error.code).to.equal('RATE_LIMITED');
          expect(Number(response.headers.get('retry-after'))).to.be.within(1, 900);
        }
        expect(right.body).to.not.have.property('accessToken');
        expect((await throttled.api.post('/auth/login', { email: bystander.email, password: PASSWORD })).status, 'another address is not throttled').to.equal(200);
      });

      it('when an unknown address has had 3 failed logins, then it is throttled alike: the same status and error as a known one', async () => {
        const { email: known } = await throttled.register();
        const unknown = uniqueEmail('nobody');
        await failLogins(known, 3);
        await failLogins(unknown, 3);

        const knownAnswer = await throttled.api.post('/auth/login', { email: known, password: PASSWORD });
        const unknownAnswer = await throttled.api.post('/auth/login', { email: unknown, password: PASSWORD });

        expect(unknownAnswer.status).to.equal(429);
        expect(unknownAnswer.status).to.equal(knownAnswer.status);
        expect(unknownAnswer.body.error.code).to.equal('RATE_LIMITED');
        expect(unknownAnswer.body.error.code).to.equal(knownAnswer.body.error.code);
        expect(unknownAnswer.body.error.message).to.equal(knownAnswer.body.error.message);
        expect(unknownAnswer.headers.get('retry-after')).to.be.a('string');
      });

      it('when a login succeeds before the limit, then the failures are forgotten and counting starts again', async () => {
        const { email } = await throttled.register();
        await failLogins(email, 2);
        expect((await throttled.api.post('/auth/login', { email, password: PASSWORD })).status).to.equal(200);

        await failLogins(email, 2);
        const response = await throttled.api.post('/auth/login', { email, password: PASSWORD });

        expect(response.status, 'four failures in all, but only two since the success').to.equal(200);
      });
    });

    describe('with LOGIN_MAX_FAILURES=2 and LOGIN_FAILURE_WINDOW_SECONDS=1', () => {
      let shortWindow: CustomerFixture;
      before(async () => {
        shortWindow = await startCustomerFixture({ LOGIN_MAX_FAILURES: '2', LOGIN_FAILURE_WINDOW_SECONDS: '1' });
      });
      after(() => shortWindow.stop());

      it('when the failure window has ended, then the address can log in again', async () => {
        const { email } = await shortWindow.register();
        for (let i = 0; i < 2; i += 1) await shortWindow.api.post('/auth/login', { email, password: 'wrong-password-1' });
        const throttledAnswer = await shortWindow.api.post('/auth/login', { email, password: PASSWORD });
        expect(throttledAnswer.status).to.equal(429);
        expect(throttledAnswer.headers.get('retry-after')).to.equal('1');

        await new Promise((resolve) => setTimeout(resolve, 1_200));
        const response = await shortWindow.api.post('/auth/login', { email, password: PASSWORD });

        expect(response.status).to.equal(200);
        expect(response.body.accessToken).to.be.a('string');
      });
    });
  });

  describe('POST /auth/refresh', () => {
    it('when a refresh token is used, then a new pair comes back and the old refresh token stops working', async () => {
      const { refreshToken } = await f.signedInCustomer();
      const first = await f.api.post('/auth/refresh', { refreshToken });
      expect(first.status).to.equal(200);
      expect(first.body.refreshToken).to.not.equal(refreshToken);
      expect(first.body.accessToken).to.be.a('string');
      expect((await f.api.get('/customers/me', { token: first.body.accessToken })).status).to.equal(200);
      const second = await f.api.post('/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).to.equal(200);
    });

    it('when a used refresh token is presented again within the grace period (a client retry), then the same new pair comes back and the session goes on', async () => {
      const { refreshToken } = await f.signedInCustomer();
      const rotated = await f.api.post('/auth/refresh', { refreshToken });

      const retries = [await f.api.post('/auth/refresh', { refreshToken }), await f.api.post('/auth/refresh', { refreshToken })];

      for (const retry of retries) {
        expect(retry.status).to.equal(200);
        expect(retry.body).to.deep.equal(rotated.body);
      }
      expect((await f.api.get('/customers/me', { token: rotated.body.accessToken })).status).to.equal(200);
      const next = await f.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
      expect(next.status, 'the new refresh token works').to.equal(200);
      expect(next.body.refreshToken).to.not.equal(rotated.body.refreshToken);
    });

    it('when two refreshes of one token race, then both get 200 with the identical pair and the session goes on', async () => {
      const { refreshToken } = await f.signedInCustomer();

      const [a, b] = await Promise.all([f.api.post('/auth/refresh', { refreshToken }), f.api.post('/auth/refresh', { refreshToken })]);

      expect([a?.status, b?.status]).to.deep.equal([200, 200]);
      expect(a?.body.accessToken).to.equal(b?.body.accessToken);
      expect(a?.body.refreshToken).to.equal(b?.body.refreshToken);
      expect((await f.api.get('/customers/me', { token: a?.body.accessToken })).status).to.equal(200);
      expect((await f.api.post('/auth/refresh', { refreshToken: a?.body.refreshToken })).status).to.equal(200);
    });

    it('when a used refresh token is presented again after its successor was used, then 401 INVALID_TOKEN, the session ends and sessions-invalidated names it', async () => {
      const { customerId, email, refreshToken } = await f.signedInCustomer();
      const other = await f.login(email);
      const rotated = await f.api.post('/auth/refresh', { refreshToken });
      const newest = await f.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
      expect(newest.status).to.equal(200);

      const reuse = await f.api.post('/auth/refresh', { refreshToken });

      expect(reuse.status).to.equal(401);
      expect(reuse.body.error.code).to.equal('INVALID_TOKEN');
      await expectSessionEnded(f, newest.body, sessionIdOf(newest.body.accessToken), customerId, 'refresh token reused');
      expect((await f.api.get('/customers/me', { token: other.accessToken })).status, "the customer's other session goes on").to.equal(200);
    });

    describe('with REFRESH_RETRY_GRACE_SECONDS=1', () => {
      let shortGrace: CustomerFixture;
      before(async () => {
        shortGrace = await startCustomerFixture({ REFRESH_RETRY_GRACE_SECONDS: '1' });
      });
      after(() => shortGrace.stop());

      it('when a used refresh token is presented again after the grace period, then 401 INVALID_TOKEN, the session ends and sessions-invalidated names it', async () => {
        const { customerId, email, refreshToken } = await shortGrace.signedInCustomer();
        const other = await shortGrace.login(email);
        const rotated = await shortGrace.api.post('/auth/refresh', { refreshToken });
        expect(rotated.status).to.equal(200);

        await new Promise((resolve) => setTimeout(resolve, 1_200));
        const reuse = await shortGrace.api.post('/auth/refresh', { refreshToken });

        expect(reuse.status).to.equal(401);
        expect(reuse.body.error.code).to.equal('INVALID_TOKEN');
        await expectSessionEnded(shortGrace, rotated.body, sessionIdOf(rotated.body.accessToken), customerId, 'refresh token reused');
        expect((await shortGrace.api.get('/customers/me', { token: other.accessToken })).status, "the customer's other session goes on").to.equal(200);
        expect((await shortGrace.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).to.equal(200);
      });
    });

    it('when the refresh token is unknown or expired, then 401 INVALID_TOKEN', async () => {
      expect((await f.api.post('/auth/refresh', { refreshToken: 'made-up' })).body.error.code).to.equal('INVALID_TOKEN');
      const { refreshToken, customerId } = await f.signedInCustomer();
      await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE customer_id = ${customerId}`.execute(f.service.deps.db);
      const expired = await f.api.post('/auth/refresh', { refreshToken });
      expect(expired.status).to.equal(401);
      expect(expired.body.error.code).to.equal('INVALID_TOKEN');
    });
  });

  describe('POST /auth/logout', () => {
    it('when the customer logs out, then 204, the session ends (refresh and access token refused), sessions-invalidated names it and other sessions go on', async () => {
      const { customerId, email, accessToken, refreshToken } = await f.signedInCustomer();
      const other = await f.login(email);

      const response = await f.api.post('/auth/logout', undefined, { token: accessToken });

      expect(response.status).to.equal(204);
      await expectSessionEnded(f, { accessToken, refreshToken }, sessionIdOf(accessToken), customerId, 'logout');
      expect((await f.api.get('/customers/me', { token: other.accessToken })).status, 'the other session goes on').to.equal(200);
      expect((await f.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).to.equal(200);
    });

    it('when there is no token, then 401 UNAUTHORIZED', async () => {
      const response = await f.api.post('/auth/logout');
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });
  });

  describe('GET /auth/jwks', () => {
    it('then it lists the RS256 public key with its kid and no private parts', async () => {
      const response = await f.api.get('/auth/jwks');
      expect(response.status).to.equal(200);
      const [key] = response.body.keys;
      expect(key).to.include({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.kid).to.be.a('string');
      expect(key).to.not.have.any.keys('d', 'p', 'q', 'dp', 'dq', 'qi');
    });

    it('when the service restarts on the same database, then it keeps the same key', async () => {
      const before = (await f.api.get('/auth/jwks')).body.keys[0].kid;
      const second = await startCustomerFixture({ DATABASE_URL: f.service.deps.config.DATABASE_URL });
      try {
        expect((await second.api.get('/auth/jwks')).body.keys[0].kid).to.equal(before);
      } finally {
        await second.stop();
      }
    });
  });

  describe('access tokens', () => {
    it('when a token is forged with another key, expired, or garbage, then 401 UNAUTHORIZED', async () => {
      const { customerId } = await f.signedInCustomer();
      const { privateKey } = await generateKeyPair('RS256');
      const kid = (await f.api.get('/auth/jwks')).body.keys[0].kid;
      const forged = await new SignJWT({ role: 'admin', sid: customerId })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(customerId)
        .setIssuer('shop-customer')
        .setAudience('shop')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      for (const token of [forged, 'garbage', `${forged}x`]) {
        const response = await f.api.get('/customers/me', { token });
        expect(response.status).to.equal(401);
        expect(response.body.error.code).to.equal('UNAUTHORIZED');
      }
    });

    it('when an access token signed with the real key has expired, then 401 UNAUTHORIZED', async () => {
      const { customerId } = await f.signedInCustomer();
      const { rows } = await sql<{ kid: string; private_jwk: JWK }>`SELECT kid, private_jwk FROM signing_keys`.execute(f.service.deps.db);
      const key = await importJWK(rows[0]!.private_jwk, 'RS256');
      const now = Math.floor(Date.now() / 1000);
      const session = await sql<{ id: string }>`SELECT id FROM sessions WHERE customer_id = ${customerId}`.execute(f.service.deps.db);
      const expired = await new SignJWT({ role: 'customer', sid: session.rows[0]!.id })
        .setProtectedHeader({ alg: 'RS256', kid: rows[0]!.kid })
        .setSubject(customerId)
        .setIssuer('shop-customer')
        .setAudience('shop')
        .setIssuedAt(now - 3600)
        .setExpirationTime(now - 1800)
        .sign(key);
      const response = await f.api.get('/customers/me', { token: expired });
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });

    it('when ACCESS_TOKEN_TTL_SECONDS is set, then tokens live that long and carry issuer, audience and role', async () => {
      const short = await startCustomerFixture({ ACCESS_TOKEN_TTL_SECONDS: '30' });
      try {
        const { accessToken } = await short.signedInCustomer();
        const [, payload] = accessToken.split('.');
        const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
        expect(claims.exp - claims.iat).to.equal(30);
        expect(claims).to.include({ iss: 'shop-customer', aud: 'shop', role: 'customer' });
      } finally {
        await short.stop();
      }
    });
  });
});
