-- Events waiting to be published. Written in the same transaction as the state change they
-- describe; the relay publishes them in id order and stamps sent_at.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  routing_key  text        NOT NULL,
  envelope     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
-- The relay's only query: unsent rows in order.
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
