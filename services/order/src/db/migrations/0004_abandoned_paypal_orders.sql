-- The job that cancels PayPal-style orders whose approval was cancelled or ran out finds them here.
CREATE INDEX orders_abandoned_paypal_idx ON orders (updated_at) WHERE status = 'PENDING' AND payment->>'method' = 'paypal' AND payment->>'status' = 'failed';
