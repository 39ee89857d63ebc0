import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Role } from '@shop/platform';

/**
 * Stands in for the customer service as token issuer, so a service under test can verify real
 * RS256 tokens against a JWKS without the customer service running.
 */
export interface TokenIssuer {
  jwksUrl: string;
  /** A signed access token; a fresh customer id and session unless given. */
  token(claims?: { role?: Role; customerId?: string; sessionId?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/auth/jwks`,
    token: ({ role = 'customer', customerId = randomUUID(), sessionId = randomUUID() } = {}) =>
      new SignJWT({ role, sid: sessionId })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(customerId)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
