import { customerProfileUpdated } from '@shop/contracts';
import { AppError, type Principal } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository';
import { assertNotSuspended, toName } from '../domain/customer';
import type { CustomerDeps } from './deps';
import { toProfile } from './profile';

export interface UpdateProfileInput {
  firstName?: string;
  lastName?: string;
  /** The version the client last read; a newer one in the database means CONFLICT. */
  expectedVersion?: number;
}

/** SEQ-CUST-005: fetch, check the status allows updates, change names, emit. */
export async function updateProfile(deps: CustomerDeps, principal: Principal, input: UpdateProfileInput) {
  return deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, principal.customerId);
    if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'customer not found');
    assertNotSuspended(customer);
    const expectedVersion = input.expectedVersion ?? customer.version;
    if (expectedVersion !== customer.version) {
      throw new AppError('CONFLICT', 'the profile was changed since you read it; reload and try again', { currentVersion: customer.version });
    }
    const firstName = input.firstName === undefined ? customer.firstName : toName(input.firstName, 'firstName');
    const lastName = input.lastName === undefined ? customer.lastName : toName(input.lastName, 'lastName');
    if (firstName === customer.firstName && lastName === customer.lastName) return toProfile(customer);

    const updated = await updateCustomer(tx, customer.id, expectedVersion, { firstName, lastName });
    await deps.outbox.add(tx, customerProfileUpdated, { customerId: updated.id, firstName, lastName, updatedAt: deps.now().toISOString() });
    return toProfile(updated);
  });
}
