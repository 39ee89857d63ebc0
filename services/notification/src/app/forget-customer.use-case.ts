import type { CustomerDataErasedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { currentContext, type Logger } from '@shop/platform';
import { forgetCustomerMails, queueMail } from '../db/notification.repository';
import type { NotificationDatabase } from '../db/schema';
import { ERASURE_CONFIRMATION_TEMPLATE, renderErasureConfirmation } from '../domain/erasure-confirmation.template';

/** The `customer.data-erased` event that asks the worker to forget the customer. */
export interface ForgetCustomerRequest {
  eventId: string;
  eventType: string;
  erasure: CustomerDataErasedV1;
}

/**
 * customer.data-erased, in the consumer's transaction with the event's inbox entry: the customer's
 * mails not sent yet are cancelled and every stored mail of theirs forgets the address; then the
 * confirmation of the erasure is queued to that address, the one row that still holds it, and only
 * until the dispatcher has sent it (or given up on it). Without an address in the event there is
 * nothing to confirm to.
 */
export async function forgetCustomer(request: ForgetCustomerRequest, tx: Transaction<NotificationDatabase>, shopName: string, logger: Logger): Promise<void> {
  const { customerId, anonymizedId, email, firstName, erasedAt } = request.erasure;
  const forgotten = await forgetCustomerMails(tx, customerId, anonymizedId);
  if (email) {
    const mail = renderErasureConfirmation({ shopName, firstName, erasedAt: new Date(erasedAt) });
    await queueMail(
      tx,
      {
        eventId: request.eventId,
        eventType: request.eventType,
        template: ERASURE_CONFIRMATION_TEMPLATE,
        customerId: anonymizedId,
        recipient: email,
        correlationId: currentContext().correlationId,
        forgetRecipient: true,
        ...mail,
      },
      new Date(),
    );
  }
  logger.info('customer forgotten', { anonymizedId, ...forgotten, confirmation: email !== undefined });
}
