import type { Generated } from '@shop/db';
import type { AuthorizationStatus, RefundStatus } from '../authorization.js';
import type { ApprovalStatus, CancelledBy } from '../paypal.js';

/** The sandbox's tables as Kysely sees them. */
export interface SandboxDatabase {
  authorizations: {
    id: string;
    status: AuthorizationStatus;
    amount: number;
    currency: string;
    reference: string;
    brand: string;
    last4: string | null;
    decline_code: string | null;
    later_failure: string | null;
    captured_amount: number | null;
    refunded_amount: Generated<number>;
    created_at: Date;
    captured_at: Date | null;
    voided_at: Date | null;
  };
  refunds: {
    id: string;
    authorization_id: string;
    amount: number;
    status: RefundStatus;
    created_at: Date;
  };
  paypal_approvals: {
    id: string;
    status: ApprovalStatus;
    amount: number;
    currency: string;
    reference: string;
    return_url: string;
    cancel_url: string;
    authorization_id: string | null;
    cancelled_by: CancelledBy | null;
    created_at: Date;
    approved_at: Date | null;
    cancelled_at: Date | null;
  };
  idempotency_keys: {
    route: string;
    key: string;
    request_hash: string;
    status: number | null;
    body: unknown;
    created_at: Generated<Date>;
  };
  events: {
    id: string;
    seq: Generated<number>;
    authorization_id: string | null;
    approval_id: string | null;
    type: string;
    data: unknown;
    created_at: Date;
    correlation_id: string | null;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    delivered_at: Date | null;
    last_error: string | null;
  };
}

