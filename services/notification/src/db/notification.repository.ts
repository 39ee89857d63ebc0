import { randomUUID } from 'node:crypto';
import { paginate, sql, type Kysely, type Page, type PageQuery, type Selectable, type Transaction } from '@shop/db';
import type { MailFacts, TemplateName } from '../domain/mail-templates.js';
import type { NotificationDatabase, NotificationStatus } from './schema.js';

type Db = Kysely<NotificationDatabase> | Transaction<NotificationDatabase>;
type NotificationRow = Selectable<NotificationDatabase['notifications']>;

/** A mail to send, as the event that asked for it decided it. */
export interface QueuedMail<T extends TemplateName = TemplateName> {
  eventId: string;
  eventType: string;
  template: T;
  customerId: string | null;
  recipient: string;
  subject: string;
  /** What the mail is written from when it goes out (its secrets sealed). */
  facts: MailFacts[T];
  /** Of the event that asked for it: the send and its events carry it on. */
  correlationId: string;
  /** Blank the recipient once the mail is sent or given up on (a mail to an address erased meanwhile). */
  forgetRecipient?: boolean;
}

/** A claimed mail, ready to write and send. */
export interface ClaimedMail extends Omit<QueuedMail, 'facts'> {
  id: string;
  /** Null for a mail queued before mails were written at send time: then its bodies are kept. */
  facts: unknown;
  bodies: { text: string; html: string } | null;
  /** Sends tried so far, this one included. */
  attempts: number;
  /** Sent again by hand: this try is its only one. */
  singleAttempt: boolean;
  createdAt: Date;
}

/** Records a mail to send, once per event (a redelivered event finds it there). */
export async function queueMail(db: Db, mail: QueuedMail, now: Date): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: randomUUID(),
      event_id: mail.eventId,
      event_type: mail.eventType,
      template: mail.template,
      customer_id: mail.customerId,
      recipient: mail.recipient,
      subject: mail.subject,
      facts: JSON.stringify(mail.facts),
      text_body: null,
      html_body: null,
      status: 'pending',
      next_attempt_at: now,
      error: null,
      message_id: null,
      sent_at: null,
      claimed_at: null,
      failed_at: null,
      correlation_id: mail.correlationId,
      forget_recipient: mail.forgetRecipient ?? false,
    })
    .onConflict((oc) => oc.columns(['event_id', 'template']).doNothing())
    .execute();
}

/**
 * Claims up to `limit` mails to send now: pending ones that are due, and ones a dispatcher claimed
 * longer than `leaseMs` ago without recording an outcome (it died). Skips rows another replica is
 * claiming, so no mail is claimed twice at once.
 */
export async function claimDueMails(db: Db, limit: number, leaseMs: number): Promise<ClaimedMail[]> {
  const { rows } = await sql<NotificationRow>`
    UPDATE notifications SET status = 'sending', claimed_at = now(), attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM notifications
      WHERE (status = 'pending' AND next_attempt_at <= now())
         OR (status = 'sending' AND claimed_at < now() - make_interval(secs => ${leaseMs / 1000}::double precision))
      ORDER BY next_attempt_at NULLS FIRST
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    template: row.template as TemplateName,
    customerId: row.customer_id,
    recipient: row.recipient,
    subject: row.subject,
    facts: row.facts,
    bodies: row.facts === null ? { text: row.text_body ?? '', html: row.html_body ?? '' } : null,
    correlationId: row.correlation_id ?? row.event_id,
    attempts: row.attempts,
    singleAttempt: row.single_attempt,
    createdAt: row.created_at,
  }));
}

/** Blank once the mail is out or given up on, when the row says so; else the recipient as it is. */
const recipientAfterward = sql<string>`CASE WHEN forget_recipient THEN '' ELSE recipient END`;

/** The SMTP server accepted it: sent, and what it was written from (a sealed link, say) is purged, and the recipient if it must be. */
export async function markSent(db: Db, id: string, messageId: string, sentAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ status: 'sent', message_id: messageId, sent_at: sentAt, error: null, facts: null, text_body: null, html_body: null, claimed_at: null, recipient: recipientAfterward })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The dispatcher still holds these mails: their claims start afresh. */
export async function renewClaims(db: Db, ids: string[]): Promise<void> {
  await db.updateTable('notifications').set({ claimed_at: sql<Date>`now()` }).where('id', 'in', ids).where('status', '=', 'sending').execute();
}

/** A transient failure: due again at `retryAt`. */
export async function markRetry(db: Db, id: string, error: string, retryAt: Date): Promise<void> {
  await db.updateTable('notifications').set({ status: 'pending', error, next_attempt_at: retryAt, claimed_at: null }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/** Given up: kept for manual review, without its recipient and bodies if they must be forgotten. */
export async function markFailed(db: Db, id: string, error: string, failedAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({
      status: 'failed',
      error,
      failed_at: failedAt,
      claimed_at: null,
      recipient: recipientAfterward,
      facts: sql<unknown>`CASE WHEN forget_recipient THEN NULL ELSE facts END`,
      text_body: sql<string | null>`CASE WHEN forget_recipient THEN NULL ELSE text_body END`,
      html_body: sql<string | null>`CASE WHEN forget_recipient THEN NULL ELSE html_body END`,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives a claimed mail back unsent (the dispatcher is stopping): due at once for the next one. */
export async function releaseClaim(db: Db, id: string): Promise<void> {
  await db.updateTable('notifications').set({ status: 'pending', next_attempt_at: new Date(), claimed_at: null, attempts: sql<number>`attempts - 1` }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/**
 * Forgets a customer (customer.data-erased): their mails not sent yet are cancelled (one a
 * dispatcher holds right now is not recorded as sent, even if it goes out), and every row of theirs
 * loses the address, its bodies and the address in its error, and goes by the anonymous id.
 */
export async function forgetCustomerMails(db: Db, customerId: string, anonymizedId: string): Promise<{ cancelled: number; forgotten: number }> {
  const cancelled = await db
    .updateTable('notifications')
    .set({
      status: 'cancelled',
      error: "not sent: the customer's data was erased",
      recipient: '',
      facts: null,
      text_body: null,
      html_body: null,
      next_attempt_at: null,
      claimed_at: null,
      customer_id: anonymizedId,
    })
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  const forgotten = await db
    .updateTable('notifications')
    .set({
      recipient: '',
      facts: null,
      text_body: null,
      html_body: null,
      // An SMTP error may quote the address it refused.
      error: sql<string | null>`replace(error, recipient, '[erased]')`,
      customer_id: anonymizedId,
    })
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return { cancelled: Number(cancelled.numUpdatedRows), forgotten: Number(forgotten.numUpdatedRows) };
}

/** A mail as the review list shows it: never its bodies or facts. */
export interface NotificationSummary {
  id: string;
  eventId: string;
  eventType: string;
  template: string;
  recipient: string;
  subject: string;
  status: NotificationStatus;
  attempts: number;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
}

export interface NotificationFilter {
  status?: NotificationStatus;
  template?: string;
}

/** The review list: newest first, by status and template (an index behind each). */
export async function listNotifications(db: Db, filter: NotificationFilter, page: PageQuery): Promise<Page<NotificationSummary>> {
  let base = db.selectFrom('notifications');
  if (filter.status) base = base.where('status', '=', filter.status);
  if (filter.template) base = base.where('template', '=', filter.template);
  return paginate(
    base,
    (query) =>
      query
        .select((eb) => [
          'id',
          eb.ref('event_id').as('eventId'),
          eb.ref('event_type').as('eventType'),
          'template',
          'recipient',
          'subject',
          'status',
          'attempts',
          'error',
          eb.ref('created_at').as('createdAt'),
          eb.ref('sent_at').as('sentAt'),
          eb.ref('failed_at').as('failedAt'),
        ])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc'),
    page,
  );
}

/**
 * A failed mail due again now, for one more try (`single_attempt`). Resolves with what the row
 * was: undefined when there is none, else its status and whether it still has its address.
 */
export async function requeueFailed(db: Db, id: string): Promise<{ requeued: boolean; status?: NotificationStatus; addressable: boolean }> {
  const requeued = await db
    .updateTable('notifications')
    .set({ status: 'pending', next_attempt_at: sql<Date>`now()`, single_attempt: true, failed_at: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .where('recipient', '<>', '')
    .returning('status')
    .executeTakeFirst();
  if (requeued) return { requeued: true, status: 'pending', addressable: true };
  const row = await db.selectFrom('notifications').select(['status', 'recipient']).where('id', '=', id).executeTakeFirst();
  return { requeued: false, status: row?.status, addressable: row !== undefined && row.recipient !== '' };
}
