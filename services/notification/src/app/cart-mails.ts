import type { CartExpiredV1, EventEnvelope } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import type { NotificationDatabase } from '../db/schema.js';
import { addresseeOf, queue, type MailingDeps } from './mailing.js';

/** A customer's cart expired: they hear of it (a guest's cart has nobody to tell). */
export async function onCartExpired(deps: MailingDeps, tx: Transaction<NotificationDatabase>, event: EventEnvelope<CartExpiredV1>): Promise<void> {
  const { customerId, lastActivityAt, expiredAt } = event.data;
  if (!customerId) return;
  const addressee = await addresseeOf(tx, customerId);
  if (!addressee) {
    deps.logger.warn('no mail: the customer is not known to the worker', { eventId: event.id, type: event.type, customerId });
    return;
  }
  await queue(deps, tx, event, { template: 'cart-expired', facts: { firstName: addressee.firstName, lastActivityAt, expiredAt }, recipient: addressee.email, customerId });
}
