-- Every change of a product bumps its version; its events carry it, so consumers apply them in order.
ALTER TABLE products ADD COLUMN version integer NOT NULL DEFAULT 1;
