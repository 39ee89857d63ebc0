import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from '@shop/db';
import type { NotificationDatabase } from './schema';

type Db = Kysely<NotificationDatabase> | Transaction<NotificationDatabase>;
type NotificationRow = Selectable<NotificationDatabase['notifications']>;

/** A mail to send, as the event that asked for it decided it. */
export interface QueuedMail {
  eventId: string;
  eventType: string;
  template: string;
  customerId: string | null;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  /** Of the event that asked for it: the send and its events carry it on. */
  correlationId: string;
  /** Blank the recipient once the mail is sent or given up on (a mail to an address erased meanwhile). */
  forgetRecipient?: boolean;
}

/** A claimed mail, ready to send. */
export interface ClaimedMail extends QueuedMail {
  id: string;
  /** Sends tried so far, this one included. */
  attempts: number;
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
      text_body: mail.text,
      html_body: mail.html,
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
    .onConflict((oc) => oc.column('event_id').doNothing())
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
    template: row.template,
    customerId: row.customer_id,
    recipient: row.recipient,
    subject: row.subject,
    text: row.text_body ?? '',
    html: row.html_body ?? '',
    correlationId: row.correlation_id ?? row.event_id,
    attempts: row.attempts,
    createdAt: row.created_at,
  }));
}

/** Blank once the mail is out or given up on, when the row says so; else the recipient as it is. */
const recipientAfterward = sql<string>`CASE WHEN forget_recipient THEN '' ELSE recipient END`;

/** The SMTP server accepted it: sent, and the bodies (which may carry a link) are forgotten, and the recipient if it must be. */
export async function markSent(db: Db, id: string, messageId: string, sentAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ status: 'sent', message_id: messageId, sent_at: sentAt, error: null, text_body: null, html_body: null, claimed_at: null, recipient: recipientAfterward })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
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
