import type { Transaction } from '@shop/db';
import { currentContext } from '@shop/platform';
import { queueMail } from '../db/notification.repository';
import type { NotificationDatabase } from '../db/schema';
import { renderVerificationEmail, VERIFICATION_EMAIL_TEMPLATE, type VerificationReason } from '../domain/verification-email.template';

/** The event that asks for a verification mail, reduced to what the mail needs. */
export interface VerificationEmailRequest {
  eventId: string;
  eventType: string;
  customerId: string;
  to: string;
  firstName: string;
  verificationUrl: string;
  verificationToken: string;
  verificationExpiresAt: string;
  reason: VerificationReason;
}

/**
 * Renders the verification mail and records it to send, in the consumer's transaction with the
 * event's inbox entry: the event is consumed once the mail is safely queued, and the dispatcher
 * sends it with no transaction open.
 */
export async function queueVerificationEmail(request: VerificationEmailRequest, tx: Transaction<NotificationDatabase>, shopName: string): Promise<void> {
  const mail = renderVerificationEmail({ ...request, expiresAt: new Date(request.verificationExpiresAt), shopName });
  await queueMail(
    tx,
    {
      eventId: request.eventId,
      eventType: request.eventType,
      template: VERIFICATION_EMAIL_TEMPLATE,
      customerId: request.customerId,
      recipient: request.to,
      correlationId: currentContext().correlationId,
      ...mail,
    },
    new Date(),
  );
}
