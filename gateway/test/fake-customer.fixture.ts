import { randomUUID } from 'node:crypto';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { listen, type RunningServer } from '@shop/platform';

/** What the fake upstream saw of a proxied request. */
export interface EchoedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface TokenClaims {
  sub?: string;
  role?: string;
  sid?: string;
  /** Issue time in epoch seconds; now unless given. */
  iat?: number;
  /** Expiry in epoch seconds; 15 minutes after iat unless given. */
  exp?: number;
  /** 'shop' unless given. */
  aud?: string;
  /** Signs with this key instead of the current one (a forger's key, say). */
  key?: SigningKey;
}

/**
 * A stand-in for the customer service: serves its JWKS from a key pair made here, answers the
 * internal invalidations route, and echoes every other request so tests see what the gateway sent.
 */
export interface FakeCustomerService {
  url: string;
  port: number;
  seen: EchoedRequest[];
  /** `since` of every call to the internal invalidations route. */
  invalidationQueries: string[];
  jwksFetches: number;
  /** Items the internal invalidations route answers with. */
  invalidations: { customerId: string; notBefore: string }[];
  /** Single ended sessions the internal invalidations route answers with (its `sessions`). */
  endedSessions: { customerId: string; sessionId: string; revokedAt: string }[];
  /** How many of the next calls to the internal invalidations route answer 503 (a service still starting). */
  invalidationFailures: number;
  /** Status every echoed route answers with, when set (a failing service). */
  failWith: number | undefined;
  /** Whether those failures name their code in X-Error-Code, as a service's own error answers do (a 502 always does). */
  failWithVerdict: boolean;
  /** Makes every echoed route stay silent (a hanging service). */
  hang: boolean;
  /** Paths (the service's own, without `/api/v1`) that stay silent once their body is read. */
  hangPaths: Set<string>;
  /** Status by `'<METHOD> <path>'` (`'POST /auth/logout'`) instead of the echo; 204 has no body. */
  statusOf: Map<string, number>;
  sign(claims?: TokenClaims): Promise<string>;
  /** A new current key; the JWKS publishes it beside the old ones. */
  rotateKey(): Promise<void>;
  stop(): Promise<void>;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startFakeCustomerService(): Promise<FakeCustomerService> {
  const keys = [await newSigningKey()];
  const hanging = new Set<express.Response>();
  const app = express();

  const fake: FakeCustomerService = {
    url: '',
    port: 0,
    seen: [],
    invalidationQueries: [],
    jwksFetches: 0,
    invalidations: [],
    endedSessions: [],
    invalidationFailures: 0,
    failWith: undefined,
    failWithVerdict: false,
    hang: false,
    hangPaths: new Set(),
    statusOf: new Map(),
    async sign(claims = {}) {
      const key = claims.key ?? (keys.at(-1) as SigningKey);
      const iat = claims.iat ?? Math.floor(Date.now() / 1000);
      return new SignJWT({ role: claims.role ?? 'customer', sid: claims.sid ?? randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setSubject(claims.sub ?? randomUUID())
        .setIssuer('shop-customer')
        .setAudience(claims.aud ?? 'shop')
        .setIssuedAt(iat)
        .setExpirationTime(claims.exp ?? iat + 900)
        .sign(key.privateKey);
    },
    async rotateKey() {
      keys.push(await newSigningKey());
    },
    stop: async () => undefined,
  };

  app.get('/auth/jwks', (_req, res) => {
    fake.jwksFetches += 1;
    res.json({ keys: keys.map((k) => k.jwk) });
  });
  app.get('/internal/sessions/invalidations', (req, res) => {
    fake.invalidationQueries.push(String(req.query.since));
    if (fake.invalidationFailures > 0) {
      fake.invalidationFailures -= 1;
      res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'starting', details: {} } });
      return;
    }
    res.json({ items: fake.invalidations, sessions: fake.endedSessions });
  });
  app.use(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The gateway gave up on a request whose client never sent all of it: nobody is listening.
      res.destroy();
      return;
    }
    fake.seen.push({ method: req.method, path: req.originalUrl, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    if (fake.hang || fake.hangPaths.has(req.path)) {
      hanging.add(res);
      return;
    }
    const status = fake.statusOf.get(`${req.method} ${req.path}`);
    if (status === 204) {
      res.status(204).end();
      return;
    }
    if (status) {
      res.status(status).json({ error: { code: 'FAKE', message: `fake ${status}`, details: {} } });
      return;
    }
    if (fake.failWith) {
      if (fake.failWith === 502 || fake.failWithVerdict) res.set('x-error-code', fake.failWith === 502 ? 'PAYMENT_PROVIDER_ERROR' : 'SERVICE_UNAVAILABLE');
      res.status(fake.failWith).json({ error: { code: fake.failWith === 502 ? 'PAYMENT_PROVIDER_ERROR' : 'SERVICE_UNAVAILABLE', message: 'fake failure', details: {} } });
      return;
    }
    res.setHeader('X-Upstream', 'fake-customer');
    res.json({ method: req.method, path: req.originalUrl, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
  });

  const server: RunningServer = await listen(app, 0);
  fake.url = server.url;
  fake.port = server.port;
  fake.stop = async () => {
    for (const res of hanging) res.destroy();
    server.server.closeAllConnections();
    await server.close();
  };
  return fake;
}
