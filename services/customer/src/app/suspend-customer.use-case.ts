import { customerSessionsInvalidated, customerSuspended } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { findCustomerById, updateCustomer } from '../db/customer.repository';
import { revokeCustomerSessions } from '../db/session.repository';
import { assertTransition } from '../domain/customer';
import type { CustomerDeps } from './deps';

/**
 * SEQ-CUST-004: suspend, end every session at once (refresh tokens revoked, access tokens issued
 * before now rejected), and tell the gateway and the notification worker. Already suspended: the
 * same answer, nothing changes.
 */
export async function suspendCustomer(deps: CustomerDeps, input: { customerId: string; reason: string }) {
  return deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, input.customerId, { forUpdate: true });
    if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'customer not found');
    if (customer.status === 'suspended') return { status: 'suspended' as const, suspendedAt: customer.suspendedAt?.toISOString() ?? null };
    assertTransition(customer.status, 'suspended');

    const now = deps.now();
    await updateCustomer(tx, customer.id, customer.version, { status: 'suspended', suspendedAt: now, suspensionReason: input.reason, tokensNotBefore: now });
    await revokeCustomerSessions(tx, customer.id, 'suspended', now);
    await deps.outbox.add(tx, customerSuspended, { customerId: customer.id, email: customer.email, reason: input.reason, suspendedAt: now.toISOString() });
    await deps.outbox.add(tx, customerSessionsInvalidated, { customerId: customer.id, notBefore: now.toISOString() });
    deps.logger.info('customer suspended', { customerId: customer.id });
    return { status: 'suspended' as const, suspendedAt: now.toISOString() };
  });
}
