import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from '@shop/db';
import type { NotificationDatabase } from './schema';

/** What is known about a mail before it is sent. */
export interface NotificationDraft {
  eventId: string;
  eventType: string;
  template: string;
  customerId: string | null;
  recipient: string;
  subject: string;
}

/** The row's id and how many sends have been tried so far, this one included. */
export interface RecordedAttempt {
  id: string;
  attempts: number;
}

type Db = Kysely<NotificationDatabase> | Transaction<NotificationDatabase>;

/** Marks the event's mail as sent, creating the row or completing the one earlier failures left. */
export async function recordSent(db: Db, draft: NotificationDraft, messageId: string, sentAt: Date): Promise<RecordedAttempt> {
  return db
    .insertInto('notifications')
    .values({ ...columnsOf(draft), id: randomUUID(), status: 'sent', attempts: 1, message_id: messageId, sent_at: sentAt })
    .onConflict((oc) =>
      oc.column('event_id').doUpdateSet({
        status: 'sent',
        attempts: sql<number>`notifications.attempts + 1`,
        error: null,
        message_id: messageId,
        sent_at: sentAt,
        recipient: draft.recipient,
        subject: draft.subject,
      }),
    )
    .returning(['id', 'attempts'])
    .executeTakeFirstOrThrow();
}

/** Counts a failed send; a row that already says sent is left alone (and nothing is returned). */
export async function recordFailedAttempt(db: Db, draft: NotificationDraft, error: string): Promise<RecordedAttempt | undefined> {
  return db
    .insertInto('notifications')
    .values({ ...columnsOf(draft), id: randomUUID(), status: 'failed', attempts: 1, error })
    .onConflict((oc) =>
      oc
        .column('event_id')
        .doUpdateSet({ attempts: sql<number>`notifications.attempts + 1`, error })
        .where('notifications.status', '=', 'failed'),
    )
    .returning(['id', 'attempts'])
    .executeTakeFirst();
}

function columnsOf(draft: NotificationDraft) {
  return {
    event_id: draft.eventId,
    event_type: draft.eventType,
    template: draft.template,
    customer_id: draft.customerId,
    recipient: draft.recipient,
    subject: draft.subject,
  };
}
