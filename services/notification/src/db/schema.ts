import type { Generated, OutboxTables } from '@shop/db';

/**
 * pending: recorded, waiting for its (next) send; sending: claimed by a dispatcher; sent: the SMTP
 * server accepted it; failed: given up on, for manual review; cancelled: not to be sent any more
 * (its customer's data was erased).
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

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
    text_body: string | null;
    html_body: string | null;
    next_attempt_at: Date | null;
    claimed_at: Date | null;
    failed_at: Date | null;
    correlation_id: string | null;
    /** The recipient is blanked once the mail is sent or given up on (the erasure's confirmation). */
    forget_recipient: Generated<boolean>;
    /** What the mail is written from when it is sent; null once it is sent (or forgotten). */
    facts: unknown;
    single_attempt: Generated<boolean>;
  };
  customers: {
    customer_id: string;
    email: string;
    first_name: string;
    last_name: string;
    updated_at: Generated<Date>;
    email_version: Generated<number>;
    name_version: Generated<number>;
  };
  orders: {
    order_id: string;
    order_number: string;
    customer_id: string;
    email: string | null;
  };
}
