import { randomUUID } from 'node:crypto';
import type { Money } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { findPaymentByOrder, insertPayment } from '../db/payment.repository.js';
import { assertSamePayment } from '../domain/payment.js';
import type { PaymentDeps } from './deps.js';
import { authorizationAnswerOf } from './payment-view.js';

export interface PaypalAuthorizeInput {
  orderId: string;
  customerId: string;
  amount: Money;
}

/**
 * Checkout with PayPal: nothing can be held before the shopper approves at the provider, so the
 * payment is recorded `awaiting_approval` and the provider is not asked yet (POST
 * /payments/paypal sends the shopper there). Nobody approving within PAYPAL_APPROVAL_TTL_MS fails
 * it; the provider job watches that deadline. Idempotent by orderId, like a card's authorization:
 * asked again, it answers with the payment as it stands.
 */
export async function authorizePaypalPayment(deps: PaymentDeps, input: PaypalAuthorizeInput) {
  const at = deps.now();
  const deadline = new Date(at.getTime() + deps.config.PAYPAL_APPROVAL_TTL_MS);
  const created = await insertPayment(
    deps.db,
    { id: randomUUID(), orderId: input.orderId, customerId: input.customerId, method: 'paypal', amount: input.amount, status: 'awaiting_approval', nextAttemptAt: deadline },
    at,
  );
  if (created) {
    deps.logger.info('a PayPal payment awaits the shopper', { orderId: created.orderId, deadline: deadline.toISOString() });
    return authorizationAnswerOf(created);
  }
  const existing = await findPaymentByOrder(deps.db, input.orderId);
  if (!existing) throw new AppError('CONFLICT', 'the payment changed meanwhile; try again');
  assertSamePayment(existing, { amount: input.amount, method: 'paypal' });
  return authorizationAnswerOf(existing);
}
