import { randomUUID } from 'node:crypto';
import { paymentAuthorized, paymentFailed as paymentFailedEvent, type Money, type PaymentCard } from '@shop/contracts';
import { AppError, backoffDelay, isTransientError, sleep } from '@shop/platform';
import { findPaymentByOrder, insertPayment, updatePayment } from '../db/payment.repository.js';
import { assertSamePayment, isVoided, paymentAggregate, type DeclineReason, type Payment } from '../domain/payment.js';
import type { PaymentDeps } from './deps.js';
import type { AuthorizeOutcome } from './payment-provider.js';
import { authorizationAnswerOf } from './payment-view.js';

export interface AuthorizeInput {
  orderId: string;
  customerId: string;
  amount: Money;
  card: PaymentCard;
}

/**
 * SEQ-ORDER-001 steps 6-7: holds the order's amount on the card. Idempotent by orderId: asked again,
 * it answers with the first outcome (an authorized payment, or the same PAYMENT_FAILED) and asks
 * the provider nothing more. A provider error or timeout is retried with the same idempotency key
 * for AUTHORIZE_RETRY_WINDOW_MS, then the payment fails with `provider_error`. The card goes to
 * the provider only: brand and last four digits are all that is kept.
 */
export async function authorizePayment(deps: PaymentDeps, input: AuthorizeInput) {
  const payment = await startPayment(deps, input);
  if (payment.status !== 'authorizing') return authorizationAnswerOf(payment);

  const outcome = await authorizeWithRetries(deps, input);
  const settled = await settle(deps, payment, outcome);
  return authorizationAnswerOf(settled);
}

/** The order's payment: a new one, or the one an earlier call (or a concurrent one) made. */
async function startPayment(deps: PaymentDeps, input: AuthorizeInput): Promise<Payment> {
  const at = deps.now();
  const created = await insertPayment(deps.db, { id: randomUUID(), orderId: input.orderId, customerId: input.customerId, method: 'card', amount: input.amount, status: 'authorizing' }, at);
  if (created) return created;
  const existing = await findPaymentByOrder(deps.db, input.orderId);
  if (!existing) throw new AppError('CONFLICT', 'the payment changed meanwhile; try again');
  assertSamePayment(existing, { amount: input.amount, method: 'card' });
  return existing;
}

async function authorizeWithRetries(deps: PaymentDeps, input: AuthorizeInput): Promise<AuthorizeOutcome | 'unavailable'> {
  const startedAt = Date.now();
  const window = deps.config.AUTHORIZE_RETRY_WINDOW_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await deps.provider.authorize({ reference: input.orderId, amount: input.amount, card: input.card, idempotencyKey: `authorize-${input.orderId}` });
    } catch (err) {
      if (!isTransientError(err)) throw err;
      const delay = backoffDelay(attempt, 100, 1_000);
      if (Date.now() - startedAt + delay >= window) {
        deps.logger.warn('the payment provider failed to authorize; giving up', { orderId: input.orderId, attempts: attempt + 1 });
        return 'unavailable';
      }
      await sleep(delay);
    }
  }
}

/**
 * Records the provider's answer with its event. When the checkout voided the payment while the
 * provider was still answering, a fresh authorization is handed to the void job instead.
 */
async function settle(deps: PaymentDeps, payment: Payment, outcome: AuthorizeOutcome | 'unavailable'): Promise<Payment> {
  const settled = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (!current) throw new Error(`payment ${payment.id} disappeared`);
    const at = deps.now();
    const authorizationId = outcome !== 'unavailable' && outcome.outcome === 'authorized' ? outcome.authorizationId : undefined;
    if (current.status !== 'authorizing') {
      if (!isVoided(current) || current.providerAuthorizationId) return current;
      if (authorizationId) return updatePayment(tx, current.id, { status: 'voiding', provider_authorization_id: authorizationId, next_attempt_at: at }, at);
      // The answer was lost (a timeout): the provider may hold an authorization all the same, which
      // the void job looks up by the order's reference and voids.
      if (outcome === 'unavailable') return updatePayment(tx, current.id, { status: 'voiding', next_attempt_at: at }, at);
      return current;
    }
    if (outcome !== 'unavailable' && outcome.outcome === 'authorized') {
      const authorized = await updatePayment(
        tx,
        current.id,
        { status: 'authorized', provider_authorization_id: outcome.authorizationId, brand: outcome.brand, last4: outcome.last4, authorized_at: at },
        at,
      );
      await deps.outbox.add(
        tx,
        paymentAuthorized,
        {
          paymentId: authorized.id,
          orderId: authorized.orderId,
          ...(authorized.customerId && { customerId: authorized.customerId }),
          amount: authorized.amount as Money,
          authorizationId: outcome.authorizationId,
          paymentMethod: authorized.method,
          authorizedAt: at.toISOString(),
        },
        paymentAggregate(authorized),
      );
      return authorized;
    }
    const reason: DeclineReason = outcome === 'unavailable' ? 'provider_error' : outcome.reason;
    const failed = await updatePayment(
      tx,
      current.id,
      { status: 'failed', failure_reason: reason, failed_at: at, ...(outcome !== 'unavailable' && { brand: outcome.brand ?? null, last4: outcome.last4 ?? null }) },
      at,
    );
    await deps.outbox.add(
      tx,
      paymentFailedEvent,
      {
        paymentId: failed.id,
        orderId: failed.orderId,
        ...(failed.customerId && { customerId: failed.customerId }),
        amount: failed.amount as Money,
        paymentMethod: failed.method,
        reason,
        failedAt: at.toISOString(),
      },
      paymentAggregate(failed),
    );
    return failed;
  });
  if (settled.status === 'voiding') deps.wakeProviderJob();
  return settled;
}
