-- One payment per order: the order id is the idempotency key of authorize, void and capture.
-- No card number or CVC is ever stored: brand and last four digits only.
CREATE TABLE payments (
  id                        uuid        PRIMARY KEY,
  order_id                  uuid        NOT NULL,
  customer_id               uuid,
  method                    text        NOT NULL CHECK (method IN ('card', 'paypal')),
  -- Null for a void that came before its authorization (a tombstone that refuses it later).
  amount                    bigint      CHECK (amount >= 0),
  currency                  char(3),
  status                    text        NOT NULL CHECK (status IN ('authorizing', 'authorized', 'failed', 'voiding', 'voided', 'capture_requested', 'captured', 'capture_failed')),
  provider_authorization_id text,
  brand                     text,
  last4                     char(4),
  failure_reason            text,
  authorized_at             timestamptz,
  -- When the capture was asked of the provider; its webhook confirms it.
  capture_sent_at           timestamptz,
  captured_at               timestamptz,
  voided_at                 timestamptz,
  failed_at                 timestamptz,
  -- The capture and void jobs' retries: when to try the provider next, and how often it failed.
  next_attempt_at           timestamptz,
  attempts                  integer     NOT NULL DEFAULT 0,
  version                   integer     NOT NULL DEFAULT 1,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX payments_order_key ON payments (order_id);
-- Webhooks name the provider's authorization.
CREATE UNIQUE INDEX payments_provider_authorization_key ON payments (provider_authorization_id) WHERE provider_authorization_id IS NOT NULL;
-- The capture and void jobs find their work by status.
CREATE INDEX payments_waiting_idx ON payments (status, next_attempt_at) WHERE status IN ('capture_requested', 'voiding');

-- Every provider event taken in, by the provider's event id: a replayed webhook changes nothing.
CREATE TABLE provider_events (
  event_id     text        PRIMARY KEY,
  type         text        NOT NULL,
  order_id     uuid,
  received_at  timestamptz NOT NULL DEFAULT now()
);
