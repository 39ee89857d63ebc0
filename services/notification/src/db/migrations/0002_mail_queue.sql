-- Consuming an event now only records the mail to send (pending), in the consumer's transaction;
-- a dispatcher claims due mails (sending), sends them with no transaction open, then records the
-- outcome: sent, due again later after a transient failure, or failed. The bodies are kept only
-- until the mail is sent: they may carry a verification link.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed'));
ALTER TABLE notifications DROP CONSTRAINT notifications_attempts_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_attempts_check CHECK (attempts >= 0);
ALTER TABLE notifications ALTER COLUMN attempts SET DEFAULT 0;
ALTER TABLE notifications ADD COLUMN text_body text;
ALTER TABLE notifications ADD COLUMN html_body text;
ALTER TABLE notifications ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE notifications ADD COLUMN claimed_at timestamptz;
ALTER TABLE notifications ADD COLUMN failed_at timestamptz;
-- The dispatcher's two questions: which pending mails are due, and which claims were abandoned.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_claimed_idx ON notifications (claimed_at) WHERE status = 'sending';
