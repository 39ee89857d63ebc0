import type { Generated, OutboxTables } from '@shop/db';
import type { PaymentMethod } from '@shop/contracts';
import type { PaymentStatus } from '../domain/payment.js';

/** The payment service's tables as Kysely sees them. */
export interface PaymentDatabase extends OutboxTables {
  payments: {
    id: string;
    order_id: string;
    customer_id: string | null;
    method: PaymentMethod;
    amount: number | null;
    currency: string | null;
    status: PaymentStatus;
    provider_authorization_id: string | null;
    brand: string | null;
    last4: string | null;
    failure_reason: string | null;
    authorized_at: Date | null;
    capture_sent_at: Date | null;
    captured_at: Date | null;
    voided_at: Date | null;
    failed_at: Date | null;
    cancel_requested_at: Date | null;
    refund_id: string | null;
    refunded_at: Date | null;
    approval_requested_at: Date | null;
    paypal_approval_id: string | null;
    paypal_approval_url: string | null;
    next_attempt_at: Date | null;
    attempts: Generated<number>;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  provider_events: {
    event_id: string;
    type: string;
    order_id: string | null;
    received_at: Generated<Date>;
  };
}
