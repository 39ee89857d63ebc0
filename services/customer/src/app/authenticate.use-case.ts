import { AppError, issuedBefore, type Principal, type TokenVerifier } from '@shop/platform';
import { findCustomerWithSession, type StoredCustomer } from '../db/customer.repository.js';
import type { CustomerDeps } from './deps.js';

/** A verified principal with the customer as this request found it. */
export interface CustomerPrincipal extends Principal {
  customer: StoredCustomer;
}

/**
 * The customer service is the authority on sessions, so beyond the signature it checks, in one
 * query, that the session is live, the account not suspended and the token not older than an
 * invalidation. A suspended customer's token is refused here at once, whatever the gateway knows.
 * The customer row comes along, so reading the profile needs no second query.
 */
export function authenticate(deps: CustomerDeps): TokenVerifier {
  return async (token): Promise<CustomerPrincipal> => {
    const principal = await deps.tokens.verify(token);
    const found = await findCustomerWithSession(deps.db, principal.customerId, principal.sessionId);
    if (found?.customer.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'this account is suspended');
    if (!found || !found.sessionLive || issuedBefore(principal, found.customer.tokensNotBefore)) {
      throw new AppError('UNAUTHORIZED', 'the session has ended; log in again');
    }
    return { ...principal, customer: found.customer };
  };
}
