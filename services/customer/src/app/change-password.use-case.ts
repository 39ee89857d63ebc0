import { customerPasswordChanged } from '@shop/contracts';
import { AppError, assertFound, type Principal } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { revokeCustomerSessions } from '../db/session.repository.js';
import { assertNotSuspended, customerAggregate } from '../domain/customer.js';
import { assertValidPassword } from '../domain/password.js';
import type { CustomerDeps } from './deps.js';
import { announceSessionsEnded } from './session-ends.js';

/** Needs the current password; every other session ends at once, so a stolen one dies with the old password. */
export async function changePassword(deps: CustomerDeps, principal: Principal, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const customer = await findCustomerById(deps.db, principal.customerId);
  assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found');
  assertNotSuspended(customer);
  if (!(await deps.passwords.verify(customer.passwordHash, input.currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
  }
  assertValidPassword(input.newPassword);
  const passwordHash = await deps.passwords.hash(input.newPassword);
  await deps.transaction(async (tx) => {
    const updated = await updateCustomer(tx, customer.id, customer.version, { passwordHash });
    const at = deps.now();
    const ended = await revokeCustomerSessions(tx, customer.id, 'password changed', at, principal.sessionId);
    await announceSessionsEnded(deps, tx, updated, { sessionIds: ended, reason: 'password changed', at });
    await deps.outbox.add(tx, customerPasswordChanged, { customerId: customer.id, changedAt: deps.now().toISOString() }, customerAggregate(updated));
  });
}
