import { notificationFailed, notificationSent } from '@shop/contracts';
import type { Outbox, RunInTransaction, Transaction } from '@shop/db';
import type { Logger } from '@shop/platform';
import { renderVerificationEmail, VERIFICATION_EMAIL_TEMPLATE, type VerificationReason } from '../domain/verification-email.template';
import { recordFailedAttempt, recordSent, type NotificationDraft } from '../db/notification.repository';
import type { NotificationDatabase } from '../db/schema';
import type { Mailer } from './mailer';

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

export interface SendVerificationEmailDeps {
  mailer: Mailer;
  outbox: Outbox;
  shopName: string;
  /** A transaction of its own, for recording a failed attempt: the consumer's rolls back. */
  runInTransaction: RunInTransaction<NotificationDatabase>;
  /** Sends tried before the consumer parks the event; the last failure is announced. */
  maxAttempts: number;
  logger: Logger;
}

/**
 * Renders the verification mail, sends it, and in the consumer's transaction records it as sent
 * and adds `notification.sent` to the outbox. A failed send is counted in its own transaction and
 * rethrown, so the consumer retries and finally parks the event; the failure that exhausts the
 * attempts is announced as `notification.failed`.
 */
export async function sendVerificationEmail(request: VerificationEmailRequest, tx: Transaction<NotificationDatabase>, deps: SendVerificationEmailDeps): Promise<void> {
  const mail = renderVerificationEmail({ ...request, expiresAt: new Date(request.verificationExpiresAt), shopName: deps.shopName });
  const draft: NotificationDraft = {
    eventId: request.eventId,
    eventType: request.eventType,
    template: VERIFICATION_EMAIL_TEMPLATE,
    customerId: request.customerId,
    recipient: request.to,
    subject: mail.subject,
  };
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to: request.to, ...mail }));
  } catch (err) {
    await recordFailure(draft, err, deps);
    throw err;
  }
  // The mail is out: from here on a failure (and the redelivery it causes) may send it twice,
  // which beats losing it.
  const sentAt = new Date();
  const notification = await recordSent(tx, draft, messageId, sentAt);
  await deps.outbox.add(tx, notificationSent, {
    notificationId: notification.id,
    eventId: request.eventId,
    template: draft.template,
    to: request.to,
    attempts: notification.attempts,
    sentAt: sentAt.toISOString(),
  });
  deps.logger.info('mail sent', { notificationId: notification.id, eventId: request.eventId, template: draft.template, attempts: notification.attempts });
}

async function recordFailure(draft: NotificationDraft, err: unknown, deps: SendVerificationEmailDeps): Promise<void> {
  const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
  const meta = { eventId: draft.eventId, template: draft.template, error };
  try {
    await deps.runInTransaction(async (own) => {
      const attempt = await recordFailedAttempt(own, draft, error);
      if (!attempt) return;
      deps.logger.warn('mail not sent', { ...meta, notificationId: attempt.id, attempts: attempt.attempts });
      if (attempt.attempts < deps.maxAttempts) return;
      await deps.outbox.add(own, notificationFailed, {
        notificationId: attempt.id,
        eventId: draft.eventId,
        template: draft.template,
        to: draft.recipient,
        attempts: attempt.attempts,
        error,
        failedAt: new Date().toISOString(),
      });
    });
  } catch (recordError) {
    // The send's own failure is what the consumer must see; this one is only logged.
    deps.logger.warn('could not record the failed mail', { ...meta, recordError: String(recordError) });
  }
}
