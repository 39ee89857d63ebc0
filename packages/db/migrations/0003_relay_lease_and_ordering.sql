-- One relay per database publishes at a time, so a service's events leave in order: the one that
-- holds this lease. A lease, not a lock held on a connection, so nothing stays open while the relay
-- waits for the broker; a relay that dies loses it when it expires.
CREATE TABLE outbox_relay_lease (
  name       text        PRIMARY KEY,
  holder     uuid        NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The newest version of each aggregate a consumer has applied, written in the same transaction as
-- the effect: an event about an older version arriving late is recognised as stale.
CREATE TABLE inbox_aggregates (
  consumer       text    NOT NULL,
  aggregate_type text    NOT NULL,
  aggregate_id   text    NOT NULL,
  version        integer NOT NULL,
  PRIMARY KEY (consumer, aggregate_type, aggregate_id)
);

-- Inbox rows are pruned once no redelivery can come any more.
CREATE INDEX inbox_processed_idx ON inbox (processed_at);
