import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AppError, createTokenVerifier, issuedBefore } from '../src';

async function issuer() {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256' }] });
  const sign = (claims: { exp: number; role?: string; aud?: string }) =>
    new SignJWT({ role: claims.role ?? 'customer', sid: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(randomUUID())
      .setIssuer('shop-customer')
      .setAudience(claims.aud ?? 'shop')
      .setIssuedAt()
      .setExpirationTime(claims.exp)
      .sign(privateKey);
  return { jwks, sign };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe('platform: access token verification', () => {
  it('when a token is valid, then the principal comes back; the same token again, from memory, is the same principal', async () => {
    const { jwks, sign } = await issuer();
    const verify = createTokenVerifier(jwks);
    const token = await sign({ exp: Math.floor(Date.now() / 1000) + 60 });
    const first = await verify(token);
    expect(first.role).to.equal('customer');
    expect(await verify(token)).to.equal(first);
  });

  it('when a token was verified, then `known` tells its principal without waiting; a token never verified (or a bad one) is not known', async () => {
    const { jwks, sign } = await issuer();
    const verify = createTokenVerifier(jwks);
    const token = await sign({ exp: Math.floor(Date.now() / 1000) + 60 });
    expect(verify.known?.(token)).to.equal(undefined);
    const principal = await verify(token);
    expect(verify.known?.(token)).to.equal(principal);
    const refused = await sign({ exp: Math.floor(Date.now() / 1000) + 60, aud: 'other' });
    await codeOf(verify(refused));
    expect(verify.known?.(refused)).to.equal(undefined);
  });

  it('when a remembered token expires, then it is refused', async function () {
    this.timeout(5_000);
    const { jwks, sign } = await issuer();
    const verify = createTokenVerifier(jwks);
    // At least a whole second of life (exp is in whole seconds), so the first check is in time even on a busy machine.
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = await sign({ exp: expiresAt });
    await verify(token);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    expect(verify.known?.(token)).to.equal(undefined);
    expect(await codeOf(verify(token))).to.equal('UNAUTHORIZED');
  });

  it('when the audience or the role is wrong, then UNAUTHORIZED', async () => {
    const { jwks, sign } = await issuer();
    const verify = createTokenVerifier(jwks);
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(await codeOf(verify(await sign({ exp, aud: 'other' })))).to.equal('UNAUTHORIZED');
    expect(await codeOf(verify(await sign({ exp, role: 'root' })))).to.equal('UNAUTHORIZED');
  });

  it('when a token is from the same second as an invalidation or earlier, then it counts as issued before it', () => {
    const notBefore = new Date('2026-01-01T00:00:10.400Z');
    expect(issuedBefore({ issuedAt: Date.parse('2026-01-01T00:00:09Z') / 1000 }, notBefore)).to.equal(true);
    expect(issuedBefore({ issuedAt: Date.parse('2026-01-01T00:00:10Z') / 1000 }, notBefore)).to.equal(true);
    expect(issuedBefore({ issuedAt: Date.parse('2026-01-01T00:00:11Z') / 1000 }, notBefore)).to.equal(false);
    expect(issuedBefore({ issuedAt: 0 }, null)).to.equal(false);
  });
});
