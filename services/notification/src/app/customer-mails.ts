import type {
  CustomerEmailChangedV1,
  CustomerProfileUpdatedV1,
  CustomerRegisteredV1,
  CustomerSuspendedV1,
  CustomerVerificationRequestedV1,
  EventEnvelope,
} from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findCustomer, saveCustomer, updateCustomerEmail, updateCustomerName } from '../db/directory.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import type { MailFacts } from '../domain/mail-templates.js';
import { queue, type MailingDeps } from './mailing.js';

type Tx = Transaction<NotificationDatabase>;
type LinkFields = Pick<CustomerRegisteredV1, 'verificationLinkSealed' | 'verificationUrl' | 'verificationExpiresAt'>;

/**
 * Customer events keep the worker's view of customers, field by field at the version of the event
 * (one arriving late changes only what no newer one has), and every one of them queues its mail.
 */
export async function onRegistered(deps: MailingDeps, tx: Tx, event: EventEnvelope<CustomerRegisteredV1>): Promise<void> {
  const { customerId, email, firstName, lastName } = event.data;
  await saveCustomer(tx, { customerId, email, firstName, lastName }, event.aggregate.version);
  await queueVerification(deps, tx, event, event.data.email, { firstName, reason: 'registered', ...sealedLink(deps, event.data) });
}

export async function onEmailChanged(deps: MailingDeps, tx: Tx, event: EventEnvelope<CustomerEmailChangedV1>): Promise<void> {
  const { customerId, oldEmail, newEmail, firstName, changedAt } = event.data;
  await updateCustomerEmail(tx, customerId, newEmail, event.aggregate.version);
  await updateCustomerName(tx, customerId, { firstName }, event.aggregate.version);
  await queueVerification(deps, tx, event, newEmail, { firstName, reason: 'email-changed', ...sealedLink(deps, event.data) });
  // The old address hears of it too: if the change was not theirs, it is the one they still read.
  await queue(deps, tx, event, { template: 'email-changed-notice', facts: { firstName, newEmail, changedAt }, recipient: oldEmail, customerId });
}

export async function onVerificationRequested(deps: MailingDeps, tx: Tx, event: EventEnvelope<CustomerVerificationRequestedV1>): Promise<void> {
  await queueVerification(deps, tx, event, event.data.email, { firstName: event.data.firstName, reason: 'resend', ...sealedLink(deps, event.data) });
}

export async function onProfileUpdated(_deps: MailingDeps, tx: Tx, event: EventEnvelope<CustomerProfileUpdatedV1>): Promise<void> {
  await updateCustomerName(tx, event.data.customerId, { firstName: event.data.firstName, lastName: event.data.lastName }, event.aggregate.version);
}

export async function onSuspended(deps: MailingDeps, tx: Tx, event: EventEnvelope<CustomerSuspendedV1>): Promise<void> {
  const { customerId, email, reason, suspendedAt } = event.data;
  const customer = await findCustomer(tx, customerId);
  await queue(deps, tx, event, { template: 'account-suspended', facts: { firstName: customer?.firstName, reason, suspendedAt }, recipient: email, customerId });
}

function queueVerification(deps: MailingDeps, tx: Tx, event: EventEnvelope<{ customerId: string }>, to: string, facts: MailFacts['verification-email']): Promise<void> {
  return queue(deps, tx, event, { template: 'verification-email', facts, recipient: to, customerId: event.data.customerId });
}

/** The sealed link and its expiry; a link that came in clear (an older event) is sealed before it is stored. */
function sealedLink(deps: MailingDeps, data: LinkFields): Pick<MailFacts['verification-email'], 'linkSealed' | 'expiresAt'> {
  const linkSealed = data.verificationLinkSealed ?? (data.verificationUrl ? deps.seal(data.verificationUrl) : undefined);
  if (!linkSealed) throw new Error('the event carries no verification link');
  return { linkSealed, expiresAt: data.verificationExpiresAt };
}
