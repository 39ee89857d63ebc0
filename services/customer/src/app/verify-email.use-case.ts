import { customerVerified } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { findVerificationToken, markVerificationTokenUsed } from '../db/verification-token.repository.js';
import { assertNotSuspended, customerAggregate } from '../domain/customer.js';
import { hashToken, isExpired } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';

const invalidToken = () => new AppError('INVALID_TOKEN', 'the verification link is invalid or has expired');

/**
 * SEQ-CUST-002: the token must be known, unexpired, not superseded and for the customer's current
 * e-mail. The same link used again after success answers verified and changes nothing.
 */
export async function verifyEmail(deps: CustomerDeps, input: { token: string }) {
  const hash = hashToken(input.token);
  return deps.transaction(async (tx) => {
    const token = await findVerificationToken(tx, hash);
    if (!token) throw invalidToken();
    const customer = await findCustomerById(tx, token.customer_id, { forUpdate: true });
    if (!customer || customer.email !== token.email) throw invalidToken();
    if (token.used_at) {
      if (customer.status === 'verified') return { status: 'verified' as const };
      throw invalidToken();
    }
    if (isExpired(token.expires_at, deps.now())) throw invalidToken();
    assertNotSuspended(customer);

    const verifiedAt = deps.now();
    await markVerificationTokenUsed(tx, hash, verifiedAt);
    if (customer.status === 'verified') return { status: 'verified' as const };
    const updated = await updateCustomer(tx, customer.id, customer.version, { status: 'verified', verifiedAt });
    await deps.outbox.add(tx, customerVerified, { customerId: customer.id, email: customer.email, verifiedAt: verifiedAt.toISOString() }, customerAggregate(updated));
    return { status: 'verified' as const };
  });
}
