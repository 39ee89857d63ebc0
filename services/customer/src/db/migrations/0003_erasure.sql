-- The customer's orders as the order events tell them (customer.order-events): open from
-- order.placed, closed for good by order.delivered or order.cancelled. Erasure (DELETE
-- /customers/me) is refused while one is open, without asking the order service.
CREATE TABLE customer_orders (
  order_id    uuid        PRIMARY KEY,
  customer_id uuid        NOT NULL,
  state       text        NOT NULL CHECK (state IN ('open', 'closed')),
  updated_at  timestamptz NOT NULL
);
-- The erasure's question (any open order of this customer?) and its clean-up.
CREATE INDEX customer_orders_customer_idx ON customer_orders (customer_id, state);

-- What is left of an erased customer: the id and when. Everything personal (the customer row with
-- its addresses, sessions and tokens) is deleted; the e-mail address can register again. The
-- gateway's start-up query reads erased_at as the instant every token of the id became void.
CREATE TABLE erased_customers (
  customer_id uuid        PRIMARY KEY,
  erased_at   timestamptz NOT NULL
);
CREATE INDEX erased_customers_erased_idx ON erased_customers (erased_at);
