-- Every mail is written when it is sent, from the facts kept with it (a mail still to send holds no
-- rendered body, and its secrets stay sealed until that moment); the facts go once it is sent.
ALTER TABLE notifications ADD COLUMN facts jsonb;
-- One event may ask for more than one mail (an e-mail change: the link to the new address, a
-- notice to the old one), still each only once.
ALTER TABLE notifications DROP CONSTRAINT notifications_event_id_key;
ALTER TABLE notifications ADD CONSTRAINT notifications_event_template_key UNIQUE (event_id, template);
-- A mail sent again by hand from the review list gets that one try: failing, it is failed again.
ALTER TABLE notifications ADD COLUMN single_attempt boolean NOT NULL DEFAULT false;
-- The review list (GET /admin/notifications): newest first, all or by status and by template.
CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC);
CREATE INDEX notifications_status_created_idx ON notifications (status, created_at DESC, id DESC);
CREATE INDEX notifications_template_created_idx ON notifications (template, created_at DESC, id DESC);

-- The worker's own view of customers, from customer events: whom to write to and by what name,
-- without asking the customer service when a mail goes out. Erasure deletes the row.
CREATE TABLE customers (
  customer_id uuid PRIMARY KEY,
  email       text NOT NULL,
  first_name  text NOT NULL,
  last_name   text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Orders as the mails need them (from order.placed): payment events name only the order id.
CREATE TABLE orders (
  order_id     uuid PRIMARY KEY,
  order_number text NOT NULL,
  customer_id  uuid NOT NULL,
  -- The address the order was placed with: the mail goes there when the customer is not in view.
  email        text
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
