-- One row per event that asked for a mail: what was sent to whom, or why it could not be.
-- A failed attempt is recorded outside the consumer's (rolled back) transaction and the row is
-- turned into 'sent' by the attempt that succeeds, so attempts counts every try.
CREATE TABLE notifications (
  id           uuid        PRIMARY KEY,
  -- The event that caused the mail; unique, so retries update one row instead of adding more.
  event_id     uuid        NOT NULL UNIQUE,
  event_type   text        NOT NULL,
  template     text        NOT NULL,
  -- The customer the mail was about, so erasure (customer.data-erased) can find their rows.
  customer_id  uuid,
  recipient    text        NOT NULL,
  subject      text        NOT NULL,
  status       text        NOT NULL CHECK (status IN ('sent', 'failed')),
  attempts     integer     NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  error        text,
  -- Message-ID the SMTP server accepted, to follow a mail into the mail server's logs.
  message_id   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX notifications_customer_idx ON notifications (customer_id) WHERE customer_id IS NOT NULL;
