import { expect } from 'chai';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { sql } from '@shop/db';
import { PASSWORD, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

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

    it('when a used refresh token is presented again, then 401 INVALID_TOKEN and the whole session is revoked', async () => {
      const { refreshToken } = await f.signedInCustomer();
      const rotated = await f.api.post('/auth/refresh', { refreshToken });
      const reuse = await f.api.post('/auth/refresh', { refreshToken });
      expect(reuse.status).to.equal(401);
      expect(reuse.body.error.code).to.equal('INVALID_TOKEN');
      const thief = await f.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
      expect(thief.status, 'the newest token of the session is dead too').to.equal(401);
      expect((await f.api.get('/customers/me', { token: rotated.body.accessToken })).status, 'and so is its access token').to.equal(401);
    });

    it('when two refreshes of one token race, then one succeeds and the session is then revoked as reused', async () => {
      const { refreshToken } = await f.signedInCustomer();
      const statuses = (await Promise.all([f.api.post('/auth/refresh', { refreshToken }), f.api.post('/auth/refresh', { refreshToken })])).map((r) => r.status);
      expect(statuses.sort()).to.deep.equal([200, 401]);
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
    it('when the customer logs out, then 204, the refresh token is dead and the access token is refused here', async () => {
      const { accessToken, refreshToken } = await f.signedInCustomer();
      expect((await f.api.post('/auth/logout', undefined, { token: accessToken })).status).to.equal(204);
      expect((await f.api.post('/auth/refresh', { refreshToken })).status).to.equal(401);
      expect((await f.api.get('/customers/me', { token: accessToken })).status).to.equal(401);
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
