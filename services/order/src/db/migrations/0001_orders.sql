-- A checkout: the saga of one POST /orders, journaled before each step moves on, so a crash at
-- any point is finished by the recovery worker. Its id is the order id every step is keyed by.
-- No card data: the card lives in the request's memory only.
CREATE TABLE checkouts (
  id                 uuid        PRIMARY KEY,
  customer_id        uuid        NOT NULL,
  idempotency_key    text,
  -- What the request asked (without the card), so a key reused for another request is refused.
  request_hash       text,
  status             text        NOT NULL CHECK (status IN ('running', 'completing', 'completed', 'compensating', 'compensated')),
  steps_started      text[]      NOT NULL DEFAULT '{}',
  steps_done         text[]      NOT NULL DEFAULT '{}',
  steps_compensated  text[]      NOT NULL DEFAULT '{}',
  context            jsonb       NOT NULL,
  -- The cart version the order was placed from: one version is ordered once.
  cart_id            uuid,
  cart_version       integer,
  -- The answer given, replayed for the same Idempotency-Key.
  answer_status      integer,
  answer_body        jsonb,
  -- Who runs the saga now (a request or the recovery worker), and until when.
  owner              uuid        NOT NULL,
  lease_until        timestamptz NOT NULL,
  attempts           integer     NOT NULL DEFAULT 0,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX checkouts_idempotency_key ON checkouts (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- One checkout at a time per customer: a double-clicked "Place order" runs once.
CREATE UNIQUE INDEX checkouts_one_running_key ON checkouts (customer_id) WHERE status = 'running';
CREATE UNIQUE INDEX checkouts_cart_version_key ON checkouts (cart_id, cart_version) WHERE status IN ('completing', 'completed');
-- The recovery worker looks for unfinished checkouts whose lease ran out.
CREATE INDEX checkouts_unfinished_idx ON checkouts (lease_until) WHERE status IN ('running', 'completing', 'compensating');

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
  id               uuid        PRIMARY KEY,
  order_number     text        NOT NULL,
  customer_id      uuid        NOT NULL,
  email            text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
  line_items       jsonb       NOT NULL,
  currency         char(3)     NOT NULL,
  subtotal         bigint      NOT NULL CHECK (subtotal >= 0),
  shipping_cost    bigint      NOT NULL CHECK (shipping_cost >= 0),
  tax              bigint      NOT NULL CHECK (tax >= 0),
  total            bigint      NOT NULL CHECK (total >= 0),
  shipping_address jsonb       NOT NULL,
  payment          jsonb       NOT NULL,
  version          integer     NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  confirmed_at     timestamptz
);
CREATE UNIQUE INDEX orders_number_key ON orders (order_number);
-- GET /orders: a customer's orders, newest first.
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC, id DESC);

-- Every status change of an order, with who made it and why.
CREATE TABLE order_status_history (
  id          bigserial   PRIMARY KEY,
  order_id    uuid        NOT NULL REFERENCES orders (id),
  from_status text,
  to_status   text        NOT NULL,
  at          timestamptz NOT NULL,
  by          uuid,
  reason      text
);
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);
