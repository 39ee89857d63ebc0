-- An order cancelled after its payment was authorized: the provider job voids what was only held
-- and refunds what was captured (order.cancelled, SEQ-ORDER-005).
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN (
  'authorizing', 'authorized', 'failed', 'voiding', 'voided', 'capture_requested', 'captured', 'capture_failed',
  'refunding', 'refunded', 'refund_failed'
));

-- When order.cancelled arrived: no capture is sent after it, and what was taken is given back.
ALTER TABLE payments ADD COLUMN cancel_requested_at timestamptz;
-- The provider's refund, once it confirmed it.
ALTER TABLE payments ADD COLUMN refund_id text;
ALTER TABLE payments ADD COLUMN refunded_at timestamptz;

-- The provider job finds refunds to ask for as it finds captures and voids.
DROP INDEX payments_waiting_idx;
CREATE INDEX payments_waiting_idx ON payments (status, next_attempt_at) WHERE status IN ('capture_requested', 'voiding', 'refunding');
