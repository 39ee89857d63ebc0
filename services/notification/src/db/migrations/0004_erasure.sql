-- customer.data-erased: the customer's mails not sent yet are cancelled (never sent), and every row
-- of theirs forgets the address. The confirmation of the erasure keeps its address only until it
-- is sent or given up on (forget_recipient).
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled'));
ALTER TABLE notifications ADD COLUMN forget_recipient boolean NOT NULL DEFAULT false;
