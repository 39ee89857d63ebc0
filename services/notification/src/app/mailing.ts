import type { Transaction } from '@shop/db';
import { currentContext, type Logger } from '@shop/platform';
import { findCustomer, findOrder, type KnownCustomer, type KnownOrder } from '../db/directory.repository.js';
import { queueMail } from '../db/notification.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import type { MailFacts, MailRenderer, TemplateName } from '../domain/mail-templates.js';

/** What the event handlers need to turn an event into queued mails. */
export interface MailingDeps {
  renderer: MailRenderer;
  /** Where staff alerts go (ALERT_EMAIL). */
  alertEmail: string;
  /** Seals a secret bound for a mail that arrived in clear (an event from before links were sealed). */
  seal: (plaintext: string) => string;
  logger: Logger;
}

type Tx = Transaction<NotificationDatabase>;

/** The event a mail answers: its id and type name the mail once (per template). */
export interface Cause {
  id: string;
  type: string;
}

export interface MailRequest<T extends TemplateName> {
  template: T;
  facts: MailFacts[T];
  recipient: string;
  /** The customer it is about (erasure finds their mails by it); null for staff alerts. */
  customerId: string | null;
  /** Blank the recipient once the mail is out (an address being erased). */
  forgetRecipient?: boolean;
}

/**
 * Records a mail to send, in the consumer's transaction with the event's inbox entry: the event is
 * consumed once the mail is safely queued, and a redelivered event queues nothing twice. Only the
 * subject is written now (for the review list); the bodies are written when the mail is sent.
 */
export async function queue<T extends TemplateName>(deps: MailingDeps, tx: Tx, cause: Cause, request: MailRequest<T>): Promise<void> {
  await queueMail(
    tx,
    {
      eventId: cause.id,
      eventType: cause.type,
      template: request.template,
      customerId: request.customerId,
      recipient: request.recipient,
      subject: deps.renderer.subject(request.template, request.facts),
      facts: request.facts,
      correlationId: currentContext().correlationId,
      forgetRecipient: request.forgetRecipient,
    },
    new Date(),
  );
}

/** A staff alert to ALERT_EMAIL. */
export function queueAlert<T extends TemplateName>(deps: MailingDeps, tx: Tx, cause: Cause, template: T, facts: MailFacts[T]): Promise<void> {
  return queue(deps, tx, cause, { template, facts, recipient: deps.alertEmail, customerId: null });
}

/** Whom a customer mail goes to and greets: the customer as the view knows them now, else the order's address. */
export interface Addressee {
  email: string;
  firstName?: string;
}

export async function addresseeOf(tx: Tx, customerId: string, order?: KnownOrder): Promise<Addressee | undefined> {
  const customer: KnownCustomer | undefined = await findCustomer(tx, customerId);
  if (customer) return { email: customer.email, firstName: customer.firstName };
  return order?.email ? { email: order.email } : undefined;
}

/**
 * A mail about an order, to its customer: the order as the view knows it (an order event names
 * its own number and customer, `orElse`; a payment event only the order's id). Nothing when there
 * is no order or nobody to write to (an order placed before the worker kept its view): logged.
 */
export async function queueOrderMail<T extends TemplateName>(
  deps: MailingDeps,
  tx: Tx,
  cause: Cause,
  orderId: string,
  mail: (order: KnownOrder, addressee: Addressee) => { template: T; facts: MailFacts[T] },
  orElse?: KnownOrder,
): Promise<void> {
  const order = (await findOrder(tx, orderId)) ?? orElse;
  const addressee = order && (await addresseeOf(tx, order.customerId, order));
  if (!order || !addressee) {
    deps.logger.warn('no mail: the order or its customer is not known to the worker', { eventId: cause.id, type: cause.type, orderId });
    return;
  }
  const { template, facts } = mail(order, addressee);
  await queue(deps, tx, cause, { template, facts, recipient: addressee.email, customerId: order.customerId });
}
