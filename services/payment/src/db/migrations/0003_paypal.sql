-- PayPal-style payments: nothing is authorized at checkout; the payment awaits the shopper's
-- approval at the provider, which captures the money at once when it is given.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN (
  'authorizing', 'awaiting_approval', 'authorized', 'failed', 'voiding', 'voided', 'capture_requested', 'captured', 'capture_failed',
  'refunding', 'refunded', 'refund_failed'
));

-- When the shop first asked the provider for an approval: only then may the provider hold one.
ALTER TABLE payments ADD COLUMN approval_requested_at timestamptz;
-- The provider's approval and the page the shopper's browser is sent to.
ALTER TABLE payments ADD COLUMN paypal_approval_id text;
ALTER TABLE payments ADD COLUMN paypal_approval_url text;
-- Webhooks about an approval name it.
CREATE UNIQUE INDEX payments_paypal_approval_key ON payments (paypal_approval_id) WHERE paypal_approval_id IS NOT NULL;

-- The provider job finds approvals nobody gave in time (next_attempt_at is their deadline) as it
-- finds captures, voids and refunds.
DROP INDEX payments_waiting_idx;
CREATE INDEX payments_waiting_idx ON payments (status, next_attempt_at) WHERE status IN ('awaiting_approval', 'capture_requested', 'voiding', 'refunding');
