-- The correlation id of the event that asked for the mail, so the send and its notification.sent
-- are logged and published in the same conversation.
ALTER TABLE notifications ADD COLUMN correlation_id text;
