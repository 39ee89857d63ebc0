import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '@shop/platform';
import { eventually } from '@shop/testkit';
import { apiOperations } from './api-operations';
import type { AttackContext } from './attack-context';

const KIND = 'tokens: forged, expired, ended, wrong role';

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The claims of a token, as the customer service writes them. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

/**
 * Tokens the shop did not issue or no longer honours, on customer and admin routes of several
 * services: `alg: none`, HS256 signed with the public key, another key pair, an expired one, a
 * suspended or erased customer's, and a customer's on every admin route. All refused.
 */
export function tokenAttacks(context: AttackContext): void {
  describe('tokens the shop must refuse', () => {
    /** A customer route and an admin route of different services. */
    const PROBES = ['/api/v1/customers/me', '/api/v1/orders', '/api/v1/cart', '/api/v1/admin/customers', '/api/v1/admin/products'];
    let customer: { token: string; customerId: string };
    let kid: string;
    let publicJwk: JsonWebKey;

    before(async () => {
      customer = await context.tools.verifiedCustomer();
      const jwks = await context.client.send({ method: 'GET', path: '/api/v1/auth/jwks' });
      ({ kid, ...publicJwk } = jwks.body.keys[0]);
    });

    /** The claims of an admin that never logged in, valid for 15 minutes from now. */
    const adminClaims = () => {
      const now = Math.floor(Date.now() / 1000);
      return { sub: customer.customerId, role: 'admin', sid: randomUUID(), iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, iat: now, exp: now + 900 };
    };

    /** Sends the token to every probe: each must be refused with 401 (403 on an admin route for a customer token). */
    async function expectRefusedEverywhere(token: string, accepted = [401]) {
      const row = context.count(KIND);
      for (const path of PROBES) {
        row.checks += 1;
        const answer = await context.client.send({ method: 'GET', path, token });
        if (answer.status < 300) row.leaks += 1;
        expect(accepted, `${path} answered ${answer.status} ${answer.text.slice(0, 200)}`).to.include(answer.status);
        expect(answer.body.error.code).to.be.oneOf(['UNAUTHORIZED', 'FORBIDDEN', 'ACCOUNT_SUSPENDED']);
      }
    }

    it('alg none, in any spelling, with and without a signature: 401 everywhere', async () => {
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        const unsigned = `${base64url({ alg, typ: 'JWT', kid })}.${base64url(adminClaims())}`;
        await expectRefusedEverywhere(`${unsigned}.`);
        await expectRefusedEverywhere(`${unsigned}.${base64url('signature')}`);
      }
    });

    it('HS256 signed with the public key (as PEM and as the JWK), under its key id: 401 everywhere', async () => {
      const pem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      for (const secret of [pem, pem.trim(), JSON.stringify(publicJwk), publicJwk.n as string]) {
        const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${base64url(adminClaims())}`;
        await expectRefusedEverywhere(`${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`);
      }
    });

    it('signed by another key pair, under the shop key id, none, or with its own key embedded: 401 everywhere', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const embedded = publicKey.export({ format: 'jwk' });
      for (const header of [{ alg: 'RS256', kid }, { alg: 'RS256' }, { alg: 'RS256', jwk: embedded }, { alg: 'RS256', jku: 'http://127.0.0.1:1/jwks' }]) {
        await expectRefusedEverywhere(await new SignJWT(adminClaims()).setProtectedHeader(header).sign(privateKey));
      }
    });

    it('signed with the shop key but expired (and the same token in date is accepted): 401 everywhere', async () => {
      const claims = claimsOf(customer.token);
      const sign = (issuedAt: number, expiresAt: number) =>
        context.shop.signAccessToken({ customerId: claims.sub as string, role: 'customer', sessionId: claims.sid as string, issuedAt: new Date(issuedAt), expiresAt: new Date(expiresAt) });
      const now = Date.now();
      const inDate = await sign(now, now + 600_000);
      expect((await context.client.send({ method: 'GET', path: '/api/v1/customers/me', token: inDate })).status).to.equal(200);
      await expectRefusedEverywhere(await sign(now - 1_800_000, now - 900_000));
      await expectRefusedEverywhere(await sign(now - 600_000, now - 1_000));
    });

    it("a suspended customer's token: refused everywhere at once, and the refresh token too", async () => {
      const suspended = await context.tools.verifiedCustomer();
      const login = (await context.shop.api.post('/auth/login', { email: suspended.email, password: 'buyer-pass-1' })).body;
      const done = await context.shop.api.post(`/admin/customers/${suspended.customerId}/suspend`, { reason: 'fraud' }, { token: context.admin });
      expect(done.status).to.equal(200);
      await eventually(async () => (await context.client.send({ method: 'GET', path: '/api/v1/orders', token: suspended.token })).status === 401, 5_000, 'the token refused');
      await expectRefusedEverywhere(suspended.token, [401, 403]);
      const refresh = await context.client.send({ method: 'POST', path: '/api/v1/auth/refresh', body: JSON.stringify({ refreshToken: login.refreshToken }) });
      expect(refresh.status).to.be.oneOf([401, 403]);
    });

    it("an erased customer's token: refused everywhere, and their password no longer logs in", async () => {
      const erased = await context.tools.verifiedCustomer();
      const gone = await context.client.send({ method: 'DELETE', path: '/api/v1/customers/me', token: erased.token, body: JSON.stringify({ confirmation: true }) });
      expect(gone.status).to.equal(204);
      await expectRefusedEverywhere(erased.token);
      const login = await context.client.send({ method: 'POST', path: '/api/v1/auth/login', body: JSON.stringify({ email: erased.email, password: 'buyer-pass-1' }) });
      expect(login.status).to.equal(401);
    });

    it('a customer token on every admin route of the API document: 403 FORBIDDEN, never the data', async () => {
      const row = context.count(KIND);
      for (const operation of apiOperations().filter((o) => o.caller === 'admin')) {
        row.checks += 1;
        const path = `/api/v1${operation.template.replace(/\{[^}]+\}/g, () => randomUUID())}`;
        const answer = await context.client.send({ method: operation.method, path, token: customer.token, body: operation.body ? '{}' : undefined });
        if (answer.status < 300) row.leaks += 1;
        expect(answer.status, `${operation.method} ${operation.template}: ${answer.text.slice(0, 200)}`).to.equal(403);
        expect(answer.body.error.code).to.equal('FORBIDDEN');
      }
    });
  });
}
