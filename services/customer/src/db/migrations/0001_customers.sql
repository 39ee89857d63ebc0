CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customers (
  id                uuid PRIMARY KEY,
  email             text        NOT NULL,
  password_hash     text        NOT NULL,
  first_name        text        NOT NULL,
  last_name         text        NOT NULL,
  role              text        NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin', 'fulfillment')),
  status            text        NOT NULL CHECK (status IN ('unverified', 'verified', 'suspended')),
  version           integer     NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  verified_at       timestamptz,
  suspended_at      timestamptz,
  suspension_reason text,
  -- Access tokens issued before this instant are rejected (set when sessions are invalidated).
  tokens_not_before timestamptz
);
-- INV-CUST-002; e-mails are stored lower-case, so login and registration look up by this index.
CREATE UNIQUE INDEX customers_email_key ON customers (email);
-- Admin list: newest first, optionally by status; free-text search over e-mail and names.
CREATE INDEX customers_created_idx ON customers (created_at DESC, id);
CREATE INDEX customers_status_created_idx ON customers (status, created_at DESC, id);
CREATE INDEX customers_search_idx ON customers USING gin ((email || ' ' || first_name || ' ' || last_name) gin_trgm_ops);
-- The gateway's start-up query for recently invalidated sessions.
CREATE INDEX customers_tokens_not_before_idx ON customers (tokens_not_before) WHERE tokens_not_before IS NOT NULL;

CREATE TABLE verification_tokens (
  token_hash  bytea       PRIMARY KEY,
  customer_id uuid        NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- The address this token verifies; a token for an address the customer no longer has is void.
  email       text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX verification_tokens_customer_idx ON verification_tokens (customer_id);

CREATE TABLE sessions (
  id             uuid        PRIMARY KEY,
  customer_id    uuid        NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_customer_idx ON sessions (customer_id) WHERE revoked_at IS NULL;

-- Every refresh token a session was given; a used one presented again means it was stolen.
CREATE TABLE refresh_tokens (
  token_hash bytea       PRIMARY KEY,
  session_id uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE addresses (
  id             uuid        PRIMARY KEY,
  customer_id    uuid        NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  recipient_name text        NOT NULL,
  street         text        NOT NULL,
  city           text        NOT NULL,
  state          text        NOT NULL,
  postal_code    text        NOT NULL,
  country        char(2)     NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_customer_idx ON addresses (customer_id, created_at);

-- RS256 signing keys; the newest signs, all are published at the JWKS route.
CREATE TABLE signing_keys (
  kid         text        PRIMARY KEY,
  private_jwk jsonb       NOT NULL,
  public_jwk  jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
