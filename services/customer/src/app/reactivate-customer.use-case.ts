import { customerReactivated } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { customerAggregate, statusBeforeSuspensionOf } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';

export interface ReactivateCustomerInput {
  customerId: string;
  reason: string;
  actorId: string;
}

/**
 * Lifts a suspension: the account gets back the status it had before. Its old sessions stay
 * ended (the tokens issued before the suspension stay void); the customer logs in again. Not
 * suspended: its status, nothing changes.
 */
export async function reactivateCustomer(deps: CustomerDeps, input: ReactivateCustomerInput) {
  return deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, input.customerId, { forUpdate: true });
    assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found');
    if (customer.status !== 'suspended') return { status: customer.status, reactivatedAt: null };

    const now = deps.now();
    const status = statusBeforeSuspensionOf(customer);
    const updated = await updateCustomer(tx, customer.id, customer.version, { status, statusBeforeSuspension: null });
    await deps.outbox.add(
      tx,
      customerReactivated,
      { customerId: customer.id, status, reason: input.reason, reactivatedBy: input.actorId, reactivatedAt: now.toISOString() },
      customerAggregate(updated),
    );
    deps.logger.info('customer reactivated', { customerId: customer.id, status, by: input.actorId });
    return { status, reactivatedAt: now.toISOString() };
  });
}
