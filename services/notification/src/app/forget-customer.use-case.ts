import type { CustomerDataErasedV1, EventEnvelope } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { forgetCustomerDirectory } from '../db/directory.repository.js';
import { forgetCustomerMails } from '../db/notification.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import { queue, type MailingDeps } from './mailing.js';

/**
 * customer.data-erased, in the consumer's transaction with the event's inbox entry: the customer
 * leaves the view, their orders there lose the address, their mails not sent yet are cancelled and
 * every stored mail of theirs forgets the address; then the confirmation of the erasure is queued
 * to that address, the one row that still holds it, and only until it is sent (or given up on).
 * Without an address in the event there is nothing to confirm to.
 */
export async function forgetCustomer(deps: MailingDeps, tx: Transaction<NotificationDatabase>, event: EventEnvelope<CustomerDataErasedV1>): Promise<void> {
  const { customerId, anonymizedId, email, firstName, erasedAt } = event.data;
  await forgetCustomerDirectory(tx, customerId, anonymizedId);
  const forgotten = await forgetCustomerMails(tx, customerId, anonymizedId);
  if (email) {
    await queue(deps, tx, event, { template: 'erasure-confirmation', facts: { firstName, erasedAt }, recipient: email, customerId: anonymizedId, forgetRecipient: true });
  }
  deps.logger.info('customer forgotten', { anonymizedId, ...forgotten, confirmation: email !== undefined });
}
