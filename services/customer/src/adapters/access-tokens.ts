import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWK } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, createTokenVerifier, type Role, type TokenVerifier } from '@shop/platform';
import type { Kysely } from '@shop/db';
import { loadOrCreateKeys, type StoredKey } from '../db/signing-key.repository.js';
import type { CustomerDatabase } from '../db/schema.js';

/** Signs access tokens with the newest key; publishes all public keys for the JWKS route. */
export interface AccessTokens {
  sign(claims: { customerId: string; role: Role; sessionId: string }): Promise<string>;
  jwks: { keys: JWK[] };
  /** Verifies locally, without a network round trip to our own JWKS. */
  verify: TokenVerifier;
  ttlSeconds: number;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/**
 * Keys come from JWT_PRIVATE_KEY when the operator provides one, else from the database, where
 * the first start creates an RS256 pair.
 */
export async function loadAccessTokens(db: Kysely<CustomerDatabase>, privateKeyPem: string | undefined, ttlSeconds: number): Promise<AccessTokens> {
  const keys = privateKeyPem ? [await keyFromPem(privateKeyPem)] : await loadOrCreateKeys(db, newKeyPair);
  const [current] = keys;
  if (!current) throw new Error('no signing key');
  const signingKey = await importJWK(current.privateJwk as JWK, 'RS256');
  const jwks = { keys: keys.map((k) => ({ ...(k.publicJwk as JWK), kid: k.kid, alg: 'RS256', use: 'sig' })) };
  return {
    ttlSeconds,
    jwks,
    verify: createTokenVerifier(createLocalJWKSet(jwks)),
    sign: ({ customerId, role, sessionId }) =>
      new SignJWT({ role, sid: sessionId })
        .setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'JWT' })
        .setSubject(customerId)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(signingKey),
  };
}

async function newKeyPair(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return toStoredKey(await exportJWK(privateKey));
}

async function keyFromPem(pem: string): Promise<StoredKey> {
  const privateKey = await importPKCS8(pem.replace(/\\n/g, '\n'), 'RS256', { extractable: true });
  return toStoredKey(await exportJWK(privateKey));
}

async function toStoredKey(privateJwk: JWK): Promise<StoredKey> {
  const publicJwk = Object.fromEntries(Object.entries(privateJwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK;
  return { kid: await calculateJwkThumbprint(publicJwk), privateJwk: { ...privateJwk }, publicJwk: { ...publicJwk } };
}
