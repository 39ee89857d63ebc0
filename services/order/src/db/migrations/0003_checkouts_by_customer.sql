-- Erasure finds every checkout of a customer.
CREATE INDEX checkouts_customer_idx ON checkouts (customer_id);
