import { customerProfileUpdated } from '@shop/contracts';
import { AppError, assertFound, type Principal } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { assertNotSuspended, customerAggregate, toName } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';
import { toProfile } from './profile.js';

export interface UpdateProfileInput {
  firstName?: string;
  lastName?: string;
  /** The version the client last read; a newer one in the database means CONFLICT. */
  expectedVersion?: number;
}

/**
 * SEQ-CUST-005: fetch, check the status allows updates, change names, emit. The row is locked, so
 * concurrent updates take turns: without `expectedVersion` the last write wins; with it, a version
 * someone else has moved past is a CONFLICT.
 */
export async function updateProfile(deps: CustomerDeps, principal: Principal, input: UpdateProfileInput) {
  return deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, principal.customerId, { forUpdate: true });
    assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found');
    assertNotSuspended(customer);
    if (input.expectedVersion !== undefined && input.expectedVersion !== customer.version) {
      throw new AppError('CONFLICT', 'the profile was changed since you read it; reload and try again', { currentVersion: customer.version });
    }
    const firstName = input.firstName === undefined ? customer.firstName : toName(input.firstName, 'firstName');
    const lastName = input.lastName === undefined ? customer.lastName : toName(input.lastName, 'lastName');
    if (firstName === customer.firstName && lastName === customer.lastName) return toProfile(customer);

    const updated = await updateCustomer(tx, customer.id, customer.version, { firstName, lastName });
    await deps.outbox.add(tx, customerProfileUpdated, { customerId: updated.id, firstName, lastName, updatedAt: deps.now().toISOString() }, customerAggregate(updated));
    return toProfile(updated);
  });
}
