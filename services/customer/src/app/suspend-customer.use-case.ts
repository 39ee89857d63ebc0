import { customerSuspended } from '@shop/contracts';
import { assertFound } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository.js';
import { revokeCustomerSessions } from '../db/session.repository.js';
import { assertNotSelf, assertTransition, customerAggregate } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';
import { announceSessionsEnded } from './session-ends.js';

export interface SuspendCustomerInput {
  customerId: string;
  reason: string;
  /** The admin suspending; an admin cannot suspend their own account. */
  actorId: string;
}

/**
 * SEQ-CUST-004: suspend, end every session at once (refresh tokens revoked, access tokens issued
 * before now rejected), and tell the gateway and the notification worker. Already suspended: the
 * same answer, nothing changes. The status before is kept for a reactivation.
 */
export async function suspendCustomer(deps: CustomerDeps, input: SuspendCustomerInput) {
  assertNotSelf(input.actorId, input.customerId);
  return deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, input.customerId, { forUpdate: true });
    assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found');
    if (customer.status === 'suspended') return { status: 'suspended' as const, suspendedAt: customer.suspendedAt?.toISOString() ?? null };
    assertTransition(customer.status, 'suspended');

    const now = deps.now();
    const updated = await updateCustomer(tx, customer.id, customer.version, {
      status: 'suspended',
      statusBeforeSuspension: customer.status,
      suspendedAt: now,
      suspensionReason: input.reason,
      tokensNotBefore: now,
    });
    const ended = await revokeCustomerSessions(tx, customer.id, 'suspended', now);
    await deps.outbox.add(tx, customerSuspended, { customerId: customer.id, email: customer.email, reason: input.reason, suspendedAt: now.toISOString() }, customerAggregate(updated));
    await announceSessionsEnded(deps, tx, updated, { sessionIds: ended, reason: 'suspended', at: now });
    deps.logger.info('customer suspended', { customerId: customer.id, by: input.actorId });
    return { status: 'suspended' as const, suspendedAt: now.toISOString() };
  });
}
