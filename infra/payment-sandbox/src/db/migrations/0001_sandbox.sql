-- The sandbox provider's own store. No card number and no CVC anywhere: an authorization keeps
-- the brand and the last four digits only.

-- One row per authorization, declined ones included (a GET shows them). Money in minor units.
CREATE TABLE authorizations (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('authorized', 'declined', 'captured', 'capture_failed', 'voided')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  reference text NOT NULL,
  brand text NOT NULL,
  last4 char(4),
  decline_code text,
  -- What an authorized test card does later ('capture_fails', 'refund_fails').
  later_failure text,
  captured_amount bigint CHECK (captured_amount > 0 AND captured_amount <= amount),
  refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= coalesce(captured_amount, 0)),
  created_at timestamptz NOT NULL DEFAULT now(),
  captured_at timestamptz,
  voided_at timestamptz
);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  authorization_id text NOT NULL REFERENCES authorizations (id),
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_authorization_idx ON refunds (authorization_id, created_at);

-- A POST's Idempotency-Key and the answer it got. The request is kept as a keyed hash only (it
-- carries the card); status and body are the answer, which never does. Both stay NULL while the
-- first request with the key is still running (its transaction holds the row).
CREATE TABLE idempotency_keys (
  route text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (route, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Webhook events, written in the transaction of the change they tell of, delivered at least once
-- by the delivery job; `seq` is the creation order they go out in (per authorization).
CREATE TABLE events (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  authorization_id text NOT NULL REFERENCES authorizations (id),
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Of the request that caused it: the delivery's log lines join that request's.
  correlation_id text,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  last_error text
);
-- The delivery job's question: which undelivered events are due, and is an older one of the same
-- authorization still undelivered.
CREATE INDEX events_pending_idx ON events (seq) WHERE delivered_at IS NULL;
CREATE INDEX events_pending_by_authorization_idx ON events (authorization_id, seq) WHERE delivered_at IS NULL;
CREATE INDEX events_authorization_idx ON events (authorization_id, seq);
