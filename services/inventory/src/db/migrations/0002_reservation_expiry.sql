-- A reservation first holds stock for a while (checkout under way). The order service commits it
-- once the order exists; a hold nobody commits is released when it expires, so stock is never
-- kept for an order that never happened. A committed reservation lasts until it is deducted
-- (shipped) or released (cancelled).
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check CHECK (status IN ('reserved', 'committed', 'released', 'deducted'));
ALTER TABLE reservations ADD COLUMN expires_at timestamptz;
ALTER TABLE reservations ADD COLUMN committed_at timestamptz;
-- reserved 1, committed 2, then released or deducted: the version its events carry.
ALTER TABLE reservations ADD COLUMN version integer NOT NULL DEFAULT 1;
-- Reservations made before holds expired count as committed: an order stands behind each.
UPDATE reservations SET status = 'committed', committed_at = reserved_at, version = 2 WHERE status = 'reserved';
-- The expiry sweep: holds whose time is up, oldest first.
CREATE INDEX reservations_expiring_idx ON reservations (expires_at) WHERE status = 'reserved';
