import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import { AppError } from './errors.js';

export type Role = 'customer' | 'admin' | 'fulfillment';

/** Who a verified access token speaks for. */
export interface Principal {
  customerId: string;
  role: Role;
  sessionId: string;
  /** Issue time in epoch seconds, to compare with a sessions-invalidated notBefore. */
  issuedAt: number;
}

export const ACCESS_TOKEN_ISSUER = 'shop-customer';
export const ACCESS_TOKEN_AUDIENCE = 'shop';

export interface TokenVerifier {
  (token: string): Promise<Principal>;
  /** The principal of a token this verifier has verified and that has not expired, without waiting; else undefined. */
  known?(token: string): Principal | undefined;
}

/** How many verified tokens a process remembers; a token is verified once, not on every request. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Verifies RS256 access tokens against a JWKS. A remote JWKS is cached and refetched when a token
 * names an unknown `kid` (jose's createRemoteJWKSet does both). A token that verified is
 * remembered until it expires: its signature cannot change, and revocation is checked apart
 * (sessions-invalidated, session state), so only the RSA work is saved.
 */
export function createTokenVerifier(keys: URL | JWTVerifyGetKey): TokenVerifier {
  const getKey = keys instanceof URL ? createRemoteJWKSet(keys, { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000 }) : keys;
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  const known = (token: string) => {
    const entry = verified.get(token);
    if (entry && entry.expiresAtMs > Date.now()) return entry.principal;
    if (entry) verified.delete(token);
    return undefined;
  };
  const verify = async (token: string): Promise<Principal> => {
    const remembered = known(token);
    if (remembered) return remembered;

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms: ['RS256'],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } catch (err) {
      if (isJwksUnavailable(err)) throw new AppError('SERVICE_UNAVAILABLE', 'token keys are unavailable');
      throw new AppError('UNAUTHORIZED', 'invalid or expired access token');
    }
    const role = payload.role;
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !isRole(role)) {
      throw new AppError('UNAUTHORIZED', 'invalid access token');
    }
    const principal: Principal = { customerId: payload.sub, role, sessionId: payload.sid, issuedAt: payload.iat as number };
    // Map keeps insertion order: when full, the oldest entry goes first.
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { principal, expiresAtMs: (payload.exp as number) * 1000 });
    return principal;
  };
  return Object.assign(verify, { known });
}

function isRole(value: unknown): value is Role {
  return value === 'customer' || value === 'admin' || value === 'fulfillment';
}

/** The key set could not be fetched (network error, timeout, non-200 answer): not the token's fault. */
function isJwksUnavailable(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  if (code === 'ERR_JWKS_TIMEOUT') return true;
  if (code === 'ERR_JOSE_GENERIC' && message?.includes('JSON Web Key Set HTTP response')) return true;
  return code === undefined && err instanceof TypeError;
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Whether a token predates a sessions-invalidated instant. JWT `iat` has whole seconds, so a token
 * from the same second as the invalidation counts as older: rejecting one too many is the safe side.
 */
export function issuedBefore(principal: Pick<Principal, 'issuedAt'>, notBefore: Date | null | undefined): boolean {
  return notBefore != null && principal.issuedAt < Math.ceil(notBefore.getTime() / 1000);
}
