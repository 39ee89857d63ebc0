import type { Kysely } from '@shop/db';
import { customerEmailChanged, customerRegistered, customerVerificationRequested, type EventEnvelope } from '@shop/contracts';
import { on, startConsumer, type Broker, type Consumer } from '@shop/messaging';
import type { Logger } from '@shop/platform';
import { sendVerificationEmail, type SendVerificationEmailDeps, type VerificationEmailRequest } from '../app/send-verification-email.use-case';
import type { NotificationDatabase } from '../db/schema';
import type { VerificationReason } from '../domain/verification-email.template';

/** The worker's one queue: every event that ends in a mail to a customer. */
export const EMAILS_QUEUE = 'notification.emails';

export interface NotificationConsumerOptions {
  broker: Broker;
  db: Kysely<NotificationDatabase>;
  logger: Logger;
  retryDelaysMs: readonly number[];
  /** Wakes the outbox relay once a handler's transaction (with its notification.sent) commits. */
  afterCommit: () => void;
  useCases: Omit<SendVerificationEmailDeps, 'maxAttempts' | 'logger'>;
}

/**
 * Consumes `notification.emails`. The inbox records each event id in the handler's transaction,
 * so a redelivered event sends no second mail.
 */
export function startNotificationConsumers(options: NotificationConsumerOptions): Promise<Consumer> {
  const deps: SendVerificationEmailDeps = { ...options.useCases, maxAttempts: options.retryDelaysMs.length + 1, logger: options.logger };
  return startConsumer({
    broker: options.broker,
    db: options.db,
    logger: options.logger,
    queue: EMAILS_QUEUE,
    retryDelaysMs: options.retryDelaysMs,
    afterCommit: options.afterCommit,
    // One mail at a time per replica: a slow SMTP server should not leave messages waiting
    // unacknowledged here while another replica is idle.
    prefetch: 1,
    handlers: [
      on(customerRegistered, (event, tx) => sendVerificationEmail(verificationRequest(event, event.data.email, 'registered'), tx, deps)),
      on(customerEmailChanged, (event, tx) => sendVerificationEmail(verificationRequest(event, event.data.newEmail, 'email-changed'), tx, deps)),
      on(customerVerificationRequested, (event, tx) => sendVerificationEmail(verificationRequest(event, event.data.email, 'resend'), tx, deps)),
    ],
  });
}

type VerificationPayload = Pick<VerificationEmailRequest, 'customerId' | 'firstName' | 'verificationUrl' | 'verificationToken' | 'verificationExpiresAt'>;

function verificationRequest(event: EventEnvelope<VerificationPayload>, to: string, reason: VerificationReason): VerificationEmailRequest {
  const { customerId, firstName, verificationUrl, verificationToken, verificationExpiresAt } = event.data;
  return { eventId: event.id, eventType: event.type, customerId, to, firstName, verificationUrl, verificationToken, verificationExpiresAt, reason };
}
