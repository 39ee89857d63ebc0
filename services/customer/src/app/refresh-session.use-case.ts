import type { Transaction } from '@shop/db';
import { AppError } from '@shop/platform';
import type { CustomerDatabase } from '../db/schema.js';
import { findRefreshToken, revokeSession, rotateRefreshToken } from '../db/session.repository.js';
import { hashToken, isExpired, openSuccessor, sealSuccessor } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';
import { announceSessionsEnded } from './session-ends.js';
import { newTokenPair, type TokenPair } from './session-tokens.js';

const invalidToken = () => new AppError('INVALID_REFRESH_TOKEN', 'the refresh token is invalid or has expired');

/**
 * Rotation: each refresh token works once and is replaced by a new pair. The same token presented
 * again within the grace period (a client retrying after a timeout, two tabs) gets that same pair,
 * as long as it has not been used itself; later, a used token presented again means it leaked, and
 * the whole session ends, everywhere at once.
 */
export async function refreshSession(deps: CustomerDeps, input: { refreshToken: string }): Promise<TokenPair> {
  const hash = hashToken(input.refreshToken);
  const outcome = await deps.transaction(async (tx) => {
    const now = deps.now();
    const token = await findRefreshToken(tx, hash);
    if (!token || token.revoked_at || isExpired(token.expires_at, now) || token.status === 'suspended') return { error: 'invalid' as const };
    if (token.used_at) {
      const retried = await sameSuccessor(deps, tx, input.refreshToken, token);
      if (retried) return { pair: retried };
      await revokeSession(tx, token.sessionId, 'refresh token reused', now);
      await announceSessionsEnded(deps, tx, { id: token.customerId, version: token.version }, { sessionIds: [token.sessionId], reason: 'refresh token reused', at: now });
      return { error: 'reused' as const, sessionId: token.sessionId };
    }
    const { pair, refreshTokenHash } = await newTokenPair(deps, { customerId: token.customerId, role: token.role, sessionId: token.sessionId });
    await rotateRefreshToken(tx, token.sessionId, { hash, successor: sealSuccessor(input.refreshToken, pair) }, refreshTokenHash, now);
    return { pair };
  });
  if (outcome.pair) return outcome.pair;
  // The revocation above must commit, so the error is thrown only after the transaction.
  if (outcome.error === 'reused') deps.logger.warn('refresh token reused; session revoked', { sessionId: outcome.sessionId });
  throw invalidToken();
}

/** The pair that replaced a token used within the grace period, if that pair has not been used in turn. */
async function sameSuccessor(
  deps: CustomerDeps,
  tx: Transaction<CustomerDatabase>,
  presented: string,
  token: { used_at: Date | null; successor: Buffer | null },
): Promise<TokenPair | undefined> {
  if (!token.used_at || !token.successor) return undefined;
  if (deps.now().getTime() - token.used_at.getTime() > deps.config.REFRESH_RETRY_GRACE_SECONDS * 1_000) return undefined;
  const pair = openSuccessor<TokenPair>(presented, token.successor);
  if (!pair) return undefined;
  const next = await findRefreshToken(tx, hashToken(pair.refreshToken));
  return next && !next.used_at && !next.revoked_at ? pair : undefined;
}
