-- A customer's one cart (customer_id), or a guest's (token_hash: the hash of the secret the guest
-- holds). version grows with every change; updated_at is the last activity, for expiry.
CREATE TABLE carts (
  id          uuid        PRIMARY KEY,
  customer_id uuid        UNIQUE,
  token_hash  bytea       UNIQUE,
  version     integer     NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((customer_id IS NULL) <> (token_hash IS NULL))
);
-- The expiry sweep: idle carts of each kind, oldest first.
CREATE INDEX carts_customer_idle_idx ON carts (updated_at) WHERE customer_id IS NOT NULL;
CREATE INDEX carts_guest_idle_idx ON carts (updated_at) WHERE customer_id IS NULL;

-- One line per variant; changed_version is the cart version of the line's last change, so an
-- order can take exactly the lines of the snapshot it was placed from.
CREATE TABLE cart_items (
  id              uuid        PRIMARY KEY,
  cart_id         uuid        NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  product_id      uuid        NOT NULL,
  variant_id      uuid        NOT NULL,
  quantity        integer     NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  added_at        timestamptz NOT NULL DEFAULT now(),
  changed_version integer     NOT NULL,
  UNIQUE (cart_id, variant_id)
);
-- Lines of a product that was deleted leave every cart.
CREATE INDEX cart_items_product_idx ON cart_items (product_id);

-- Lines removed by the shopper, restorable for a while (the undo window).
CREATE TABLE removed_cart_items (
  id         uuid        PRIMARY KEY,
  cart_id    uuid        NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  product_id uuid        NOT NULL,
  variant_id uuid        NOT NULL,
  quantity   integer     NOT NULL,
  removed_at timestamptz NOT NULL
);
CREATE INDEX removed_cart_items_cart_idx ON removed_cart_items (cart_id);
CREATE INDEX removed_cart_items_removed_idx ON removed_cart_items (removed_at);

-- Orders a cart was cleared for: clearing for the same order again changes nothing.
CREATE TABLE cart_order_clearings (
  order_id   uuid        PRIMARY KEY,
  cart_id    uuid        NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  cleared_at timestamptz NOT NULL DEFAULT now()
);

-- Read model of the catalog, fed by product.* events and the catalog's feed: reading a cart never
-- asks the catalog. version is the product's; an older snapshot never overwrites a newer one.
CREATE TABLE catalog_products (
  product_id uuid    PRIMARY KEY,
  name       text    NOT NULL,
  status     text    NOT NULL CHECK (status IN ('draft', 'active', 'inactive')),
  deleted    boolean NOT NULL DEFAULT false,
  version    integer NOT NULL
);
-- price: what the variant sells at (its own price, else the product's).
CREATE TABLE catalog_variants (
  variant_id     uuid    PRIMARY KEY,
  product_id     uuid    NOT NULL REFERENCES catalog_products (product_id) ON DELETE CASCADE,
  sku            text    NOT NULL,
  name           text    NOT NULL,
  price_amount   bigint  NOT NULL,
  price_currency char(3) NOT NULL,
  position       integer NOT NULL
);
CREATE INDEX catalog_variants_product_idx ON catalog_variants (product_id, position);

-- Read model of stock, fed by inventory.stock-changed and the inventory's feed.
CREATE TABLE variant_stock (
  variant_id    uuid    PRIMARY KEY,
  available     integer NOT NULL,
  stock_status  text    NOT NULL,
  stock_version integer NOT NULL
);
