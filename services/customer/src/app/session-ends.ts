import { customerSessionsInvalidated } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { CustomerDatabase } from '../db/schema.js';
import { customerAggregate, type Customer } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';

/**
 * Tells the gateway that these sessions ended, in the transaction that ended them: it refuses
 * their access tokens from then on instead of waiting for them to expire.
 */
export async function announceSessionsEnded(
  deps: CustomerDeps,
  tx: Transaction<CustomerDatabase>,
  customer: Pick<Customer, 'id' | 'version'>,
  ended: { sessionIds: string[]; reason: string; at: Date },
): Promise<void> {
  if (ended.sessionIds.length === 0) return;
  await deps.outbox.add(
    tx,
    customerSessionsInvalidated,
    { customerId: customer.id, notBefore: ended.at.toISOString(), sessionIds: ended.sessionIds, reason: ended.reason },
    customerAggregate(customer),
  );
}

/**
 * Tells the gateway that every session of the customer ended (the account is gone): it refuses
 * each of their access tokens issued before `at`, whichever session it belongs to.
 */
export async function announceAllSessionsEnded(
  deps: CustomerDeps,
  tx: Transaction<CustomerDatabase>,
  customer: Pick<Customer, 'id' | 'version'>,
  ended: { reason: string; at: Date },
): Promise<void> {
  await deps.outbox.add(tx, customerSessionsInvalidated, { customerId: customer.id, notBefore: ended.at.toISOString(), reason: ended.reason }, customerAggregate(customer));
}
