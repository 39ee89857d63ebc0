-- Reactivation gives an account back the status it had before its suspension.
ALTER TABLE customers ADD COLUMN status_before_suspension text CHECK (status_before_suspension IN ('unverified', 'verified'));

-- A used refresh token keeps the pair that replaced it, encrypted with a key only the used token
-- itself yields: a client retrying its refresh within the grace period gets that same pair back.
ALTER TABLE refresh_tokens ADD COLUMN successor bytea;

-- The gateway's start-up query: sessions ended recently (logout, password change, stolen token).
CREATE INDEX sessions_revoked_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- Failed logins per e-mail address (hashed; unknown addresses count alike), in a fixed window.
CREATE TABLE login_failures (
  email_hash        bytea       PRIMARY KEY,
  failures          integer     NOT NULL,
  window_started_at timestamptz NOT NULL,
  last_failed_at    timestamptz NOT NULL
);
CREATE INDEX login_failures_last_failed_idx ON login_failures (last_failed_at);

-- Every verification mail asked for, per address (hashed): at most one a minute and five a day.
CREATE TABLE verification_mails (
  email_hash bytea       NOT NULL,
  sent_at    timestamptz NOT NULL
);
CREATE INDEX verification_mails_email_idx ON verification_mails (email_hash, sent_at DESC);
CREATE INDEX verification_mails_sent_idx ON verification_mails (sent_at);
