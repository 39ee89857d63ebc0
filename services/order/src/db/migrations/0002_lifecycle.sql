-- Fulfilment: the tracking number the carrier's webhook names, and when each step happened.
ALTER TABLE orders
  ADD COLUMN tracking_number text,
  ADD COLUMN carrier         text,
  ADD COLUMN shipped_at      timestamptz,
  ADD COLUMN delivered_at    timestamptz,
  ADD COLUMN cancelled_at    timestamptz,
  ADD COLUMN cancel_reason   text;
CREATE UNIQUE INDEX orders_tracking_number_key ON orders (tracking_number) WHERE tracking_number IS NOT NULL;

-- GET /admin/orders: newest first, alone or by status; by customer uses orders_customer_idx;
-- q is a prefix of the order number.
CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_idx ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_number_prefix_idx ON orders (order_number text_pattern_ops);

-- Every carrier webhook taken in, matched to an order or kept for review.
CREATE TABLE carrier_events (
  id              bigserial   PRIMARY KEY,
  tracking_number text        NOT NULL,
  status          text        NOT NULL,
  order_id        uuid,
  outcome         text        NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'unknown-tracking-number', 'not-applicable')),
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carrier_events_review_idx ON carrier_events (received_at) WHERE outcome = 'unknown-tracking-number';
