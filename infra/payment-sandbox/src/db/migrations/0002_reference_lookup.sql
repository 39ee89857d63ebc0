-- GET /v1/authorizations?reference=: the shop finds what it authorized for an order whose answer it lost.
CREATE INDEX authorizations_reference_idx ON authorizations (reference, created_at);
