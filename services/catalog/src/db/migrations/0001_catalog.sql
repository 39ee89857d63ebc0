-- Categories form a tree of at most three levels (INV-CAT: depth <= 3). They are never moved or
-- deleted, so each row keeps its path from the root (ancestor ids, itself last): a subtree is
-- every row whose path contains the category, found through the GIN index.
CREATE TABLE categories (
  id         uuid        PRIMARY KEY,
  name       text        NOT NULL,
  parent_id  uuid        REFERENCES categories (id),
  depth      smallint    NOT NULL CHECK (depth BETWEEN 1 AND 3),
  path       uuid[]      NOT NULL CHECK (cardinality(path) = depth),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Names are unique whatever their letter case.
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name));
CREATE INDEX categories_path_idx ON categories USING gin (path);

CREATE TABLE products (
  id             uuid        PRIMARY KEY,
  name           text        NOT NULL,
  description    text        NOT NULL,
  price_amount   bigint      NOT NULL CHECK (price_amount > 0),
  price_currency char(3)     NOT NULL,
  category_id    uuid        NOT NULL REFERENCES categories (id),
  status         text        NOT NULL CHECK (status IN ('draft', 'active', 'inactive')),
  -- Denormalized from variant_stock (any variant in stock -> in_stock, ...), updated in the same
  -- transaction as a variant's stock row, so browsing needs neither a join nor an aggregate.
  stock_status   text        NOT NULL DEFAULT 'out_of_stock' CHECK (stock_status IN ('in_stock', 'low_stock', 'out_of_stock')),
  created_by     uuid,
  updated_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- Soft delete: order history still resolves the product.
  deleted_at     timestamptz,
  deleted_by     uuid,
  search_vector  tsvector    GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED
);

-- Shopper queries only ever see active, not deleted products: every index behind them is partial
-- on exactly this predicate, and counting a page's total uses the same index as the page.
CREATE INDEX products_listed_created_idx ON products (created_at DESC, id) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_listed_price_idx ON products (price_amount, id) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_listed_name_idx ON products (lower(name), id) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_listed_category_idx ON products (category_id, created_at DESC, id) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_listed_search_idx ON products USING gin (search_vector) WHERE status = 'active' AND deleted_at IS NULL;
-- Admin list: newest first, optionally by status; deleted ones on their own.
CREATE INDEX products_admin_created_idx ON products (created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX products_admin_status_idx ON products (status, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX products_deleted_idx ON products (deleted_at DESC, id) WHERE deleted_at IS NOT NULL;

-- Every product has at least one variant; stock is per variant (in the inventory service).
CREATE TABLE variants (
  id           uuid        PRIMARY KEY,
  product_id   uuid        NOT NULL REFERENCES products (id),
  position     smallint    NOT NULL,
  sku          text        NOT NULL,
  name         text        NOT NULL,
  -- The variant's own price, in the product's currency; NULL: the product's price applies.
  price_amount bigint      CHECK (price_amount > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (product_id, position)
);
-- SKUs are unique across the catalog whatever their letter case.
CREATE UNIQUE INDEX variants_sku_key ON variants (lower(sku));

-- INV-PROD: every price change, who made it and when (SEQ-PROD-002 step 5).
CREATE TABLE price_audit (
  id             bigserial   PRIMARY KEY,
  product_id     uuid        NOT NULL REFERENCES products (id),
  changed_by     uuid        NOT NULL,
  changed_at     timestamptz NOT NULL,
  old_amount     bigint      NOT NULL,
  old_currency   char(3)     NOT NULL,
  new_amount     bigint      NOT NULL,
  new_currency   char(3)     NOT NULL
);
CREATE INDEX price_audit_product_idx ON price_audit (product_id, changed_at DESC, id DESC);

-- Read model of the inventory service's stock rows, fed by inventory.stock-changed. No foreign
-- key to variants: the catalog keeps what the inventory says, in whatever order it arrives.
CREATE TABLE variant_stock (
  variant_id          uuid        PRIMARY KEY,
  product_id          uuid        NOT NULL,
  available           integer     NOT NULL,
  low_stock_threshold integer     NOT NULL,
  stock_status        text        NOT NULL CHECK (stock_status IN ('in_stock', 'low_stock', 'out_of_stock')),
  -- The inventory row's version; an event with a lower or equal one is older news and ignored.
  stock_version       bigint      NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
