import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { AUTH_RATE_LIMIT_MAX } from '../e2e/shop.fixture';
import { attackClient, type AttackAnswer } from './attack-client';
import type { AttackContext } from './attack-context';

const BRUTE_FORCE = 'login brute force';
const INTERNAL = 'internal routes through the gateway';

/** A loopback address of the brute force's own: it exhausts its per-IP login limit, nobody else's. */
const BRUTE_FORCE_ADDRESS = '127.0.0.67';

/** Service routes the gateway must never reach, with the public prefix of the same service. */
const INTERNAL_ROUTES = [
  { prefix: 'products', internal: 'internal/products/feed', service: 'catalog' },
  { prefix: 'customers', internal: 'internal/sessions/invalidations', service: 'customer' },
  { prefix: 'admin/inventory', internal: 'internal/stock/feed', service: 'inventory' },
  { prefix: 'cart', internal: `internal/carts/by-customer/${randomUUID()}`, service: 'cart' },
  { prefix: 'payments', internal: `internal/payments/${randomUUID()}`, service: 'payment' },
] as const;

/** Every way of spelling `<prefix>/../<internal>` and `/internal` that a lax parser or proxy might resolve. */
function spellings(prefix: string, internal: string): string[] {
  const upper = internal.replace('internal', 'INTERNAL');
  return [
    `/api/v1/${internal}`,
    `/api/v1/${prefix}/../${internal}`,
    `/api/v1/${prefix}/./../${internal}`,
    `/api/v1/${prefix}/%2e%2e/${internal}`,
    `/api/v1/${prefix}/%2E%2E/${internal}`,
    `/api/v1/${prefix}/.%2e/${internal}`,
    `/api/v1/${prefix}/%252e%252e/${internal}`,
    `/api/v1/${prefix}/..%2f${internal}`,
    `/api/v1/${prefix}%2f..%2f${internal}`,
    `/api/v1/${prefix}%2F..%2F${internal}`,
    `/api/v1/${prefix}/..%5c${internal}`,
    `/api/v1/${prefix}\\..\\${internal}`,
    `/api/v1/${prefix}/..;/${internal}`,
    `/api/v1/${prefix}/%00/../${internal}`,
    `/api/v1/${prefix}//../${internal}`,
    `/api/v1//${internal}`,
    `//api/v1/${internal}`,
    `/api/v1/${prefix}//${internal}`,
    `/api/v1/${upper}`,
    `/API/V1/${internal}`,
    `/Api/v1/${prefix}/../${upper}`,
    `/api/v1/${prefix}/%2e%2e/%2e%2e/${internal}`,
    `/api/v1/../../${internal}`,
    `/api/v1/%2e%2e/${internal}`,
    `/${internal}`,
    `/api/v1/${prefix}#/../../${internal}`,
  ];
}

/**
 * The gateway's edges: logins beyond the limits are 429 however they are spelled, and no spelling
 * of a path reaches a service's `/internal/*` routes or the operations endpoints.
 */
export function perimeterAttacks(context: AttackContext): void {
  describe('the perimeter: login brute force and internal routes', () => {
    it('10 wrong passwords for an address: then 429 RATE_LIMITED even with the right one, however the address is spelled and whatever X-Forwarded-For says', async () => {
      const victim = await context.tools.verifiedCustomer();
      const row = context.count(BRUTE_FORCE);
      const login = async (email: string, password: string, headers: Record<string, string> = {}) => {
        row.checks += 1;
        return context.client.send({ method: 'POST', path: '/api/v1/auth/login', body: JSON.stringify({ email, password }), headers });
      };
      for (let guess = 0; guess < 10; guess += 1) expect((await login(victim.email, `guess-${guess}-pass`)).status).to.equal(401);

      const attempts: AttackAnswer[] = [
        await login(victim.email, 'buyer-pass-1'),
        await login(victim.email.toUpperCase(), 'buyer-pass-1'),
        await login(victim.email, 'buyer-pass-1', { 'x-forwarded-for': '203.0.113.9' }),
        await login(victim.email, 'buyer-pass-1', { 'x-real-ip': '203.0.113.10', forwarded: 'for=203.0.113.11' }),
      ];
      for (const answer of attempts) {
        if (answer.status === 200) row.leaks += 1;
        expect(answer.status, answer.text).to.equal(429);
        expect(answer.body.error.code).to.equal('RATE_LIMITED');
        expect(Number(answer.headers['retry-after'])).to.be.greaterThan(0);
      }
    });

    /** Floods the login route from an address of its own past its limit, then tries to log in as a real customer at each path. */
    async function loginsPastTheLimit(paths: string[]): Promise<Array<{ path: string; spoofed: boolean; answer: AttackAnswer }>> {
      const victim = await context.tools.verifiedCustomer();
      const row = context.count(BRUTE_FORCE);
      const flood = attackClient(context.shop.gatewayUrl, BRUTE_FORCE_ADDRESS);
      flood.countIn(row);
      try {
        // Malformed logins are cheap to answer, and count against the limit like any other; an earlier flood may have spent it already.
        for (let sent = 0, limited = false; sent <= AUTH_RATE_LIMIT_MAX && !limited; sent += 50) {
          const answers = await Promise.all(Array.from({ length: 50 }, () => flood.send({ method: 'POST', path: '/api/v1/auth/login', body: '{}' })));
          limited = answers.some((answer) => answer.status === 429);
        }
        const body = JSON.stringify({ email: victim.email, password: 'buyer-pass-1' });
        const tries = [];
        for (const [index, path] of paths.entries()) {
          for (const spoofed of [false, true]) {
            row.checks += 1;
            const answer = await flood.send({ method: 'POST', path, body, headers: spoofed ? { 'x-forwarded-for': `198.51.100.${index + 1}` } : {} });
            if (answer.status === 200) row.leaks += 1;
            tries.push({ path, spoofed, answer });
          }
        }
        return tries;
      } finally {
        flood.close();
      }
    }

    it(`more than ${AUTH_RATE_LIMIT_MAX} logins from one address: 429 RATE_LIMITED, whatever X-Forwarded-For says`, async () => {
      for (const { path, spoofed, answer } of await loginsPastTheLimit(['/api/v1/auth/login'])) {
        expect(answer.status, `${path} ${spoofed ? 'with' : 'without'} X-Forwarded-For: ${answer.text.slice(0, 200)}`).to.equal(429);
        expect(answer.body.error.code).to.equal('RATE_LIMITED');
      }
    });

    it('past the per-address login limit, no other spelling of the login path logs in (429, or 404 when no route has it)', async () => {
      const paths = ['/api/v1/auth/login/', '/api/v1/auth/LOGIN', '/api/v1/AUTH/login', '/api/v1/auth/Login', '/api/v1/auth//login', '/api/v1//auth/login', '/api/v1/auth/./login', '/api/v1/auth/%6cogin', '/api/v1/auth/login?x=1', '/api/v1/auth/login;x=1', '/api/v1/auth/login%20', '/api/v1/auth/login.json'];
      const bypasses = (await loginsPastTheLimit(paths)).filter(({ answer }) => ![429, 404].includes(answer.status));
      expect(bypasses.map(({ path, spoofed, answer }) => `${path}${spoofed ? ' (X-Forwarded-For)' : ''} -> ${answer.status}`)).to.deep.equal([]);
    });

    it("no spelling of a path reaches a service's /internal routes (each answers directly on the service)", async () => {
      const row = context.count(INTERNAL);
      for (const { prefix, internal, service } of INTERNAL_ROUTES) {
        const direct = (await fetch(`${context.shop.services[service]}/${internal}`).then((r) => r.json())) as { error?: { code: string } };
        expect(direct.error?.code, `${service} serves /${internal}`).to.not.equal('NOT_FOUND');
        for (const path of spellings(prefix, internal)) {
          row.checks += 1;
          const answer = await context.client.send({ method: 'GET', path, token: context.admin });
          const reached = answer.status < 400 || !answer.body?.error;
          if (reached) row.leaks += 1;
          expect(reached, `${path} answered ${answer.status} ${answer.text.slice(0, 200)}`).to.equal(false);
          expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).to.be.oneOf([400, 404]);
        }
      }
    });

    it('the operations endpoints (metrics, readiness) are not served on the public port', async () => {
      const row = context.count(INTERNAL);
      for (const path of ['/metrics', '/health/ready', '/api/v1/metrics', '/api/v1/health/ready', '/api/v1/../metrics', '/METRICS', '/metrics/', '//metrics']) {
        row.checks += 1;
        const answer = await context.client.send({ method: 'GET', path });
        if (answer.status < 400) row.leaks += 1;
        expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).to.be.oneOf([400, 404]);
      }
      expect((await context.client.send({ method: 'GET', path: '/health/live' })).status).to.equal(200);
    });
  });
}
