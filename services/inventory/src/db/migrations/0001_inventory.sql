-- Stock per variant (created from catalog's product.created). The CHECKs are the last line of
-- defence of "available = on_hand - reserved is never negative", whatever a bug upstream does.
CREATE TABLE stock_items (
  id                   uuid        PRIMARY KEY,
  variant_id           uuid        NOT NULL,
  product_id           uuid        NOT NULL,
  -- For the admin alerts' text; follows product.updated renames.
  product_name         text,
  product_name_at      timestamptz NOT NULL,
  on_hand              integer     NOT NULL CHECK (on_hand >= 0),
  reserved             integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  low_stock_threshold  integer     NOT NULL CHECK (low_stock_threshold >= 0),
  version              integer     NOT NULL DEFAULT 1,
  -- An alert was sent for the current episode; cleared once available rises above its line.
  low_stock_alerted    boolean     NOT NULL DEFAULT false,
  out_of_stock_alerted boolean     NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stock_items_reserved_within_on_hand CHECK (reserved <= on_hand)
);
-- Every admin and internal route finds and locks stock by variant; ON CONFLICT makes a product
-- event delivered twice create one row.
CREATE UNIQUE INDEX stock_items_variant_key ON stock_items (variant_id);
-- product.updated renames all variants of a product.
CREATE INDEX stock_items_product_idx ON stock_items (product_id);

-- One row per order: the idempotency key of reserve, release and deduct.
CREATE TABLE reservations (
  order_id       uuid        PRIMARY KEY,
  status         text        NOT NULL CHECK (status IN ('reserved', 'released', 'deducted')),
  -- [{variantId, quantity}], one per variant, in variant id order.
  lines          jsonb       NOT NULL,
  reserved_at    timestamptz NOT NULL DEFAULT now(),
  released_at    timestamptz,
  release_reason text,
  deducted_at    timestamptz
);

-- Who changed what, when and why. previous/new/delta are of the figure the action changes:
-- on hand (initialized, quantity_set, adjusted, restocked, deducted), reserved (reserved,
-- released) or the threshold (threshold_set).
CREATE TABLE stock_audit (
  id         bigserial   PRIMARY KEY,
  variant_id uuid        NOT NULL REFERENCES stock_items (variant_id),
  action     text        NOT NULL CHECK (action IN ('initialized', 'quantity_set', 'adjusted', 'restocked', 'threshold_set', 'reserved', 'released', 'deducted')),
  previous   integer     NOT NULL,
  new        integer     NOT NULL,
  delta      integer     NOT NULL,
  reason     text,
  -- The admin who acted; null when the system did (product events, orders).
  user_id    uuid,
  order_id   uuid,
  at         timestamptz NOT NULL DEFAULT now()
);
-- The audit route: one variant's entries, newest first, and their count.
CREATE INDEX stock_audit_variant_idx ON stock_audit (variant_id, id DESC);
