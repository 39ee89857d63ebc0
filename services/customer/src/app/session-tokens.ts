import type { Role } from '@shop/platform';
import { hashToken, newOpaqueToken } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A signed access token and a new opaque refresh token (returned once; only its hash is kept). */
export async function newTokenPair(deps: CustomerDeps, claims: { customerId: string; role: Role; sessionId: string }) {
  const refreshToken = newOpaqueToken();
  const pair: TokenPair = { accessToken: await deps.tokens.sign(claims), refreshToken, expiresIn: deps.tokens.ttlSeconds };
  return { pair, refreshTokenHash: hashToken(refreshToken) };
}
