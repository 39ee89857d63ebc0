-- PayPal-style redirect payments: the merchant creates an approval, the shopper approves or
-- cancels it on the sandbox's page. An approval that is approved points at the authorization it
-- became (captured at once, refunded like any other).
CREATE TABLE paypal_approvals (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'cancelled')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  reference text NOT NULL,
  return_url text NOT NULL,
  cancel_url text NOT NULL,
  authorization_id text UNIQUE REFERENCES authorizations (id),
  -- Who cancelled it: the shopper on the page (a webhook tells the merchant) or the merchant by API.
  cancelled_by text CHECK (cancelled_by IN ('shopper', 'merchant')),
  created_at timestamptz NOT NULL DEFAULT now(),
  approved_at timestamptz,
  cancelled_at timestamptz,
  CHECK ((status = 'approved') = (authorization_id IS NOT NULL AND approved_at IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_by IS NOT NULL AND cancelled_at IS NOT NULL))
);
-- GET /v1/paypal/approvals?reference=
CREATE INDEX paypal_approvals_reference_idx ON paypal_approvals (reference, created_at);

-- An approval the shopper cancelled has no authorization: its event names the approval instead.
-- Events without an authorization wait for no other event (there is one per approval).
ALTER TABLE events ALTER COLUMN authorization_id DROP NOT NULL;
ALTER TABLE events ADD COLUMN approval_id text REFERENCES paypal_approvals (id);
ALTER TABLE events ADD CONSTRAINT events_subject_check CHECK (authorization_id IS NOT NULL OR approval_id IS NOT NULL);
-- GET /v1/events?approvalId=
CREATE INDEX events_approval_idx ON events (approval_id, seq) WHERE approval_id IS NOT NULL;
