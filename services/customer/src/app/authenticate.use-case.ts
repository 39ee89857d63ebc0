import { AppError, issuedBefore, type Principal, type TokenVerifier } from '@shop/platform';
import { findAuthState } from '../db/session.repository';
import type { CustomerDeps } from './deps';

/**
 * The customer service is the authority on sessions, so beyond the signature it checks, in one
 * query, that the session is live, the account not suspended and the token not older than an
 * invalidation. A suspended customer's token is refused here at once, whatever the gateway knows.
 */
export function authenticate(deps: CustomerDeps): TokenVerifier {
  return async (token) => {
    const principal: Principal = await deps.tokens.verify(token);
    const state = await findAuthState(deps.db, principal.customerId, principal.sessionId);
    if (state?.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'this account is suspended');
    if (!state || !state.sessionId || state.revoked_at || issuedBefore(principal, state.tokens_not_before)) {
      throw new AppError('UNAUTHORIZED', 'the session has ended; log in again');
    }
    return principal;
  };
}
