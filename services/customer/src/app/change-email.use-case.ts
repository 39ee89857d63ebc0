import { customerEmailChanged } from '@shop/contracts';
import { AppError, assertFound, type Principal } from '@shop/platform';
import { emailTaken, findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { assertNotSuspended, customerAggregate } from '../domain/customer.js';
import { toEmail } from '../domain/email.js';
import type { CustomerDeps } from './deps.js';
import { toProfile } from './profile.js';
import { issueVerificationLink } from './verification-link.js';

/**
 * Changing the e-mail needs the password, puts the account back to unverified and mails a new
 * verification link to the new address.
 */
export async function changeEmail(deps: CustomerDeps, principal: Principal, input: { newEmail: string; password: string }) {
  const newEmail = toEmail(input.newEmail);
  const current = await findCustomerById(deps.db, principal.customerId);
  assertFound(current, 'CUSTOMER_NOT_FOUND', 'customer not found');
  assertNotSuspended(current);
  if (!(await deps.passwords.verify(current.passwordHash, input.password))) {
    throw new AppError('INVALID_CREDENTIALS', 'the password is wrong');
  }
  if (newEmail === current.email) return toProfile(current);
  if (await emailTaken(deps.db, newEmail)) throw new AppError('EMAIL_EXISTS', 'an account with this e-mail already exists');

  return deps.transaction(async (tx) => {
    const updated = await updateCustomer(tx, current.id, current.version, { email: newEmail, status: 'unverified', verifiedAt: null });
    const link = await issueVerificationLink(deps, tx, updated);
    await deps.outbox.add(tx, customerEmailChanged, {
      customerId: updated.id,
      oldEmail: current.email,
      newEmail,
      firstName: updated.firstName,
      ...link,
      changedAt: deps.now().toISOString(),
    }, customerAggregate(updated));
    return toProfile(updated);
  });
}
