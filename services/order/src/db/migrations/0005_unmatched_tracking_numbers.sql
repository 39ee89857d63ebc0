-- Tracking numbers carriers reported that no order has, each once: staff are alerted the first time
-- a number comes unmatched, not on every repeat (every report is still in carrier_events). The
-- primary key decides between reports of the same number at once.
CREATE TABLE unmatched_tracking_numbers (
  tracking_number   text        PRIMARY KEY,
  first_reported_at timestamptz NOT NULL
);
-- Numbers reported before this table existed have been seen already.
INSERT INTO unmatched_tracking_numbers (tracking_number, first_reported_at)
  SELECT tracking_number, min(received_at) FROM carrier_events WHERE outcome = 'unknown-tracking-number' GROUP BY tracking_number;
