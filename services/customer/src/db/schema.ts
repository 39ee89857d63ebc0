import type { Generated, OutboxTables } from '@shop/db';
import type { Role } from '@shop/platform';
import type { CustomerStatus } from '../domain/customer.js';
import type { TrackedOrderState } from '../domain/open-orders.js';

/** The customer service's tables as Kysely sees them. */
export interface CustomerDatabase extends OutboxTables {
  customers: {
    id: string;
    email: string;
    password_hash: string;
    first_name: string;
    last_name: string;
    role: Generated<Role>;
    status: CustomerStatus;
    version: Generated<number>;
    created_at: Generated<Date>;
    verified_at: Date | null;
    suspended_at: Date | null;
    suspension_reason: string | null;
    tokens_not_before: Date | null;
    status_before_suspension: Generated<'unverified' | 'verified' | null>;
  };
  verification_tokens: {
    token_hash: Buffer;
    customer_id: string;
    email: string;
    created_at: Generated<Date>;
    expires_at: Date;
    used_at: Date | null;
  };
  sessions: {
    id: string;
    customer_id: string;
    created_at: Generated<Date>;
    expires_at: Date;
    revoked_at: Date | null;
    revoked_reason: string | null;
  };
  refresh_tokens: {
    token_hash: Buffer;
    session_id: string;
    issued_at: Generated<Date>;
    used_at: Date | null;
    successor: Generated<Buffer | null>;
  };
  addresses: {
    id: string;
    customer_id: string;
    recipient_name: string;
    street: string;
    city: string;
    state: string;
    postal_code: string;
    country: string;
    created_at: Generated<Date>;
  };
  login_failures: {
    email_hash: Buffer;
    failures: number;
    window_started_at: Date;
    last_failed_at: Date;
  };
  verification_mails: {
    email_hash: Buffer;
    sent_at: Date;
  };
  customer_orders: {
    order_id: string;
    customer_id: string;
    state: TrackedOrderState;
    updated_at: Date;
  };
  erased_customers: {
    customer_id: string;
    erased_at: Date;
  };
  signing_keys: {
    kid: string;
    private_jwk: Record<string, unknown>;
    public_jwk: Record<string, unknown>;
    created_at: Generated<Date>;
  };
}
