import type { Generated, OutboxTables } from '@shop/db';

/** Whether a notification reached the SMTP server, or has so far only failed. */
export type NotificationStatus = 'sent' | 'failed';

/** The notification worker's tables as Kysely sees them. */
export interface NotificationDatabase extends OutboxTables {
  notifications: {
    id: string;
    event_id: string;
    event_type: string;
    template: string;
    customer_id: string | null;
    recipient: string;
    subject: string;
    status: NotificationStatus;
    attempts: Generated<number>;
    error: string | null;
    message_id: string | null;
    created_at: Generated<Date>;
    sent_at: Date | null;
  };
}
