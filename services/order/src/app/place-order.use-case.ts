import { createHash, randomUUID } from 'node:crypto';

import { isUniqueViolation } from '@shop/db';
import { AppError, errorBody, runSaga, statusOf, type SagaOutcome } from '@shop/platform';
import type { ShippingChoice } from '../adapters/customer.client.js';
import {
  findCheckoutByKey,
  insertCheckout,
  ONE_PER_IDEMPOTENCY_KEY,
  ONE_RUNNING_PER_CUSTOMER,
  releaseIdempotencyKey,
  saveAnswer,
  setCheckoutStatus,
  type Checkout,
} from '../db/checkout.repository.js';
import { findOrder } from '../db/order.repository.js';
import type { Order } from '../domain/order.js';
import { checkoutJournal } from './checkout-journal.js';
import { checkoutSaga, type CheckoutContext, type PaymentChoice } from './checkout-saga.js';
import type { OrderDeps } from './deps.js';
import { toOrderView } from './order-view.js';

export interface PlaceOrderInput {
  customerId: string;
  /** The client's Idempotency-Key: the same key from the same customer gets the same answer. */
  idempotencyKey?: string;
  shipping: ShippingChoice;
  payment: PaymentChoice;
}

export interface CheckoutAnswer {
  status: number;
  body: unknown;
}

/**
 * CMD-ORDER-001, SEQ-ORDER-001: places the customer's cart as an order, the checkout saga's steps
 * journaled in the database as they go (see checkoutSaga). One checkout runs at a time per
 * customer (another: 409 CONFLICT). With an Idempotency-Key, a repeated request gets the stored
 * answer, the same status and body, without running anything again; while the first still runs,
 * 409 CONFLICT. A failure worth retrying (a service down) frees the key for a new attempt.
 */
export async function placeOrder(deps: OrderDeps, input: PlaceOrderInput): Promise<CheckoutAnswer> {
  const owner = randomUUID();
  const started = await startCheckout(deps, input, owner);
  if ('replay' in started) return started.replay;

  const { checkout } = started;
  // The order as the pivot created it: the answer, with no second read of it.
  let placed: Order | undefined;
  const answer = () => placed && { status: 201, body: toOrderView(placed) };
  const saga = checkoutSaga(deps, owner, paymentOf(input.payment), (order) => (placed = order));
  const outcome = await runSaga(saga, checkout.context, checkoutJournal(deps, checkout.id, owner, saga, { answer }));
  return settle(deps, checkout, owner, outcome, answer());
}

/**
 * A new checkout, or the answer an earlier one with the same key gave. A key is looked up only
 * when the new checkout is refused (the key is taken, or another checkout of the customer runs):
 * a fresh key, the usual case, costs no read.
 */
async function startCheckout(deps: OrderDeps, input: PlaceOrderInput, owner: string): Promise<{ checkout: Checkout<CheckoutContext> } | { replay: CheckoutAnswer }> {
  const requestHash = fingerprint(input);
  const orderId = randomUUID();
  const at = deps.now();
  try {
    const checkout = await insertCheckout<CheckoutContext>(
      deps.db,
      {
        id: orderId,
        customerId: input.customerId,
        idempotencyKey: input.idempotencyKey ?? null,
        requestHash,
        context: { orderId, customerId: input.customerId, shipping: input.shipping } satisfies CheckoutContext,
        owner,
        leaseUntil: new Date(at.getTime() + deps.config.CHECKOUT_LEASE_MS),
      },
      at,
    );
    return { checkout };
  } catch (err) {
    const refused = isUniqueViolation(err, ONE_RUNNING_PER_CUSTOMER) || isUniqueViolation(err, ONE_PER_IDEMPOTENCY_KEY);
    if (refused && input.idempotencyKey) {
      const earlier = await findCheckoutByKey<CheckoutContext>(deps.db, input.customerId, input.idempotencyKey);
      if (earlier) return { replay: await replay(deps, earlier, requestHash) };
    }
    if (refused) {
      throw new AppError('CONFLICT', 'another checkout of yours is in progress; wait for its answer');
    }
    throw err;
  }
}

/** The stored answer of the key's checkout; 409 CONFLICT while it still runs or when the key was used for another request. */
async function replay(deps: OrderDeps, earlier: Checkout<CheckoutContext>, requestHash: string): Promise<CheckoutAnswer> {
  if (earlier.requestHash !== requestHash) throw new AppError('CONFLICT', 'this Idempotency-Key was used for a different request');
  if (earlier.answer) return earlier.answer;
  if (earlier.status === 'completing' || earlier.status === 'completed') {
    // Placed, but its answer was lost (the runner died after the order existed): answer from the order.
    const answer = await orderAnswer(deps, earlier.id);
    await saveAnswer(deps.db, earlier.id, answer);
    return answer;
  }
  throw new AppError('CONFLICT', 'a checkout with this Idempotency-Key is still in progress', { orderId: earlier.id });
}

/**
 * Turns the saga's outcome into the answer, keeps it for the key, and leaves what is unfinished to
 * recovery. A completed checkout's journal kept its answer already (`placed`: the order it created).
 */
async function settle(deps: OrderDeps, checkout: Checkout<CheckoutContext>, owner: string, outcome: SagaOutcome<CheckoutContext>, placed: CheckoutAnswer | undefined): Promise<CheckoutAnswer> {
  const at = deps.now();
  if (outcome.status === 'completing' || outcome.status === 'compensating') {
    deps.logger.warn('checkout left for recovery to finish', { orderId: checkout.id, status: outcome.status, pending: outcome.pending, error: String(outcome.error) });
    await setCheckoutStatus(deps.db, checkout.id, owner, { status: outcome.status, leaseUntil: at, lastError: String(outcome.error) }, at);
  }
  if (outcome.status === 'completed' && placed) return placed;
  if (outcome.status === 'completed' || outcome.status === 'completing') {
    const answer = placed ?? (await orderAnswer(deps, checkout.id));
    await saveAnswer(deps.db, checkout.id, answer);
    return answer;
  }
  const error = outcome.error;
  if (error instanceof AppError && statusOf(error.code) < 500) {
    await saveAnswer(deps.db, checkout.id, { status: statusOf(error.code), body: errorBody(error.code, error.message, error.details) });
    throw error;
  }
  // Worth another try (a service was down): the key may start a new checkout.
  if (checkout.idempotencyKey) await releaseIdempotencyKey(deps.db, checkout.id);
  throw error;
}

export async function orderAnswer(deps: OrderDeps, orderId: string): Promise<CheckoutAnswer> {
  const order = await findOrder(deps.db, orderId);
  if (!order) throw new Error(`the order of checkout ${orderId} is missing`);
  return { status: 201, body: toOrderView(order) };
}

/** What the authorize step needs: the card's fields alone, or the wallet. */
function paymentOf(payment: PaymentChoice): PaymentChoice {
  if (payment.method === 'paypal') return { method: 'paypal' };
  const { cardNumber, expMonth, expYear, cvc } = payment;
  return { method: 'card', cardNumber, expMonth, expYear, cvc };
}

/**
 * What the request asked, to tell a retry from another request under the same key. The card is
 * reduced to what the order keeps anyway (last four digits, expiry): no hash of a card number
 * is stored.
 */
function fingerprint(input: PlaceOrderInput): string {
  const { payment } = input;
  const asked = {
    shipping: input.shipping,
    payment: payment.method === 'paypal' ? { method: 'paypal' } : { method: 'card', last4: payment.cardNumber.slice(-4), expMonth: payment.expMonth, expYear: payment.expYear },
  };
  return createHash('sha256').update(canonicalJson(asked)).digest('hex');
}

/** JSON with object keys sorted, so the same request always prints the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
