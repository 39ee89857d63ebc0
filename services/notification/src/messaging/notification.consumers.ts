import { customerDataErased, customerEmailChanged, customerRegistered, customerVerificationRequested, orderPlaced, subscriptions, type EventEnvelope } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import type { Logger } from '@shop/platform';
import { forgetCustomer } from '../app/forget-customer.use-case';
import { queueOrderConfirmation } from '../app/queue-order-confirmation.use-case';
import { queueVerificationEmail, type VerificationEmailRequest } from '../app/queue-verification-email.use-case';
import type { NotificationDatabase } from '../db/schema';
import type { VerificationReason } from '../domain/verification-email.template';

export interface NotificationConsumerOptions {
  logger: Logger;
  shopName: string;
  /** Called after a mail is queued: the dispatcher sends it now instead of at its next poll. */
  mailQueued: () => void;
}

/**
 * Consumes `notification.emails`: each event becomes a queued mail in the handler's transaction,
 * with the event's inbox entry, so a redelivered event queues no second mail. An erasure also
 * forgets the customer's stored mails.
 */
export function startNotificationConsumer(options: NotificationConsumerOptions, backbone: Backbone<NotificationDatabase>): Consumer {
  const { shopName } = options;
  return startConsumer<NotificationDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: options.logger,
    subscription: subscriptions.notificationEmails,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: options.mailQueued,
    handlers: [
      on(customerRegistered, (event, tx) => queueVerificationEmail(verificationRequest(event, event.data.email, 'registered'), tx, shopName)),
      on(customerEmailChanged, (event, tx) => queueVerificationEmail(verificationRequest(event, event.data.newEmail, 'email-changed'), tx, shopName)),
      on(customerVerificationRequested, (event, tx) => queueVerificationEmail(verificationRequest(event, event.data.email, 'resend'), tx, shopName)),
      on(orderPlaced, (event, tx) => queueOrderConfirmation({ eventId: event.id, eventType: event.type, order: event.data }, tx, shopName)),
      on(customerDataErased, (event, tx) => forgetCustomer({ eventId: event.id, eventType: event.type, erasure: event.data }, tx, shopName, options.logger)),
    ],
  });
}

type VerificationPayload = Pick<VerificationEmailRequest, 'customerId' | 'firstName' | 'verificationUrl' | 'verificationToken' | 'verificationExpiresAt'>;

function verificationRequest(event: EventEnvelope<VerificationPayload>, to: string, reason: VerificationReason): VerificationEmailRequest {
  const { customerId, firstName, verificationUrl, verificationToken, verificationExpiresAt } = event.data;
  return { eventId: event.id, eventType: event.type, customerId, to, firstName, verificationUrl, verificationToken, verificationExpiresAt, reason };
}
