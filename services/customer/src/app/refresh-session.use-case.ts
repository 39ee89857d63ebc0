import { AppError } from '@shop/platform';
import { findRefreshToken, revokeSession, rotateRefreshToken } from '../db/session.repository';
import { hashToken, isExpired } from '../domain/tokens';
import type { CustomerDeps } from './deps';
import { newTokenPair, type TokenPair } from './session-tokens';

const invalidToken = () => new AppError('INVALID_TOKEN', 'the refresh token is invalid or has expired');

/**
 * Rotation: each refresh token works once and is replaced by a new one. A used token presented
 * again means it leaked, so the whole session is revoked.
 */
export async function refreshSession(deps: CustomerDeps, input: { refreshToken: string }): Promise<TokenPair> {
  const hash = hashToken(input.refreshToken);
  const outcome = await deps.transaction(async (tx) => {
    const token = await findRefreshToken(tx, hash);
    if (!token || token.revoked_at || isExpired(token.expires_at, deps.now()) || token.status === 'suspended') return { error: 'invalid' as const, pair: undefined };
    if (token.used_at) {
      await revokeSession(tx, token.sessionId, 'refresh token reuse', deps.now());
      return { error: 'reused' as const, sessionId: token.sessionId, pair: undefined };
    }
    const { pair, refreshTokenHash } = await newTokenPair(deps, { customerId: token.customerId, role: token.role, sessionId: token.sessionId });
    await rotateRefreshToken(tx, token.sessionId, hash, refreshTokenHash, deps.now());
    return { pair };
  });
  if (outcome.pair) return outcome.pair;
  // The revocation above must commit, so the error is thrown only after the transaction.
  if (outcome.error === 'reused') deps.logger.warn('refresh token reused; session revoked', { sessionId: outcome.sessionId });
  throw invalidToken();
}
