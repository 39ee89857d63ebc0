import type { AggregateRef, Money, PaymentMethod } from '@shop/contracts';
import { AppError } from '@shop/platform';

/**
 * A payment's life: `authorizing` while the provider is asked, then `authorized` or `failed`;
 * a PayPal-style payment starts `awaiting_approval` instead and becomes `captured` when the shopper
 * approves it at the provider, `failed` when they cancel there or nobody approves it in time;
 * an authorized payment is captured once its order exists (`capture_requested` -> `captured` or
 * `capture_failed`) or voided when the checkout is undone (`voiding` until the provider confirms,
 * then `voided`). When its order is cancelled, what was only held is voided and what was captured
 * is refunded (`refunding` until the provider answers, then `refunded` or `refund_failed`).
 */
export type PaymentStatus =
  | 'authorizing'
  | 'awaiting_approval'
  | 'authorized'
  | 'failed'
  | 'voiding'
  | 'voided'
  | 'capture_requested'
  | 'captured'
  | 'capture_failed'
  | 'refunding'
  | 'refunded'
  | 'refund_failed';

/** Why a payment failed, as API.md names it in PAYMENT_FAILED `details.reason`. */
export type DeclineReason = 'card_declined' | 'insufficient_funds' | 'unsupported_card' | 'provider_error';

/** Why a PayPal-style payment failed: the shopper cancelled at the provider, or nobody approved it in time. */
export type ApprovalFailure = 'approval_cancelled' | 'approval_expired';

export interface Payment {
  id: string;
  orderId: string;
  customerId: string | null;
  method: PaymentMethod;
  amount: Money | null;
  status: PaymentStatus;
  providerAuthorizationId: string | null;
  brand: string | null;
  last4: string | null;
  failureReason: string | null;
  /** The provider's PayPal approval the shopper's browser is sent to, once the shop asked for it. */
  paypalApprovalId: string | null;
  paypalApprovalUrl: string | null;
  /** When the shop first asked the provider for an approval (the provider may hold one from then on). */
  approvalRequestedAt: Date | null;
  /** Failed attempts of the capture or void job so far. */
  attempts: number;
  version: number;
  authorizedAt: Date | null;
  captureSentAt: Date | null;
  capturedAt: Date | null;
  voidedAt: Date | null;
  /** When the order was cancelled (order.cancelled): nothing is captured after it, what was taken is given back. */
  cancelRequestedAt: Date | null;
  refundId: string | null;
  refundedAt: Date | null;
}

const transitions: Record<PaymentStatus, readonly PaymentStatus[]> = {
  authorizing: ['authorized', 'failed', 'voiding', 'voided'],
  // Approved (captured at once by the provider), cancelled by the shopper or expired, or withdrawn
  // because the order was cancelled.
  awaiting_approval: ['captured', 'failed', 'voiding', 'voided'],
  // A capture the provider confirms before the shop recorded asking for it (a redelivered order.placed).
  authorized: ['voiding', 'voided', 'capture_requested', 'captured', 'capture_failed'],
  failed: ['voiding', 'voided'],
  // A capture that reached the provider before the void of a cancelled order did: it is refunded.
  voiding: ['voided', 'captured'],
  // An authorization that arrives (or may have arrived) after the void must be voided in turn.
  voided: ['voiding'],
  // The order was cancelled before its capture was sent: the authorization is voided instead.
  capture_requested: ['captured', 'capture_failed', 'voiding'],
  // A capture that failed may be retried by an admin, or the provider may still capture it; the
  // order's cancellation voids it.
  capture_failed: ['capture_requested', 'captured', 'voiding'],
  captured: ['refunding'],
  refunding: ['refunded', 'refund_failed'],
  refunded: [],
  // Left to staff: the provider refused to give the money back.
  refund_failed: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return transitions[from].includes(to);
}

/** What the provider's decline codes mean for the shopper; anything unexpected is the provider's error. */
export function declineReasonOf(providerCode: string): DeclineReason {
  switch (providerCode) {
    case 'insufficient_funds':
      return 'insufficient_funds';
    case 'unsupported_card':
      return 'unsupported_card';
    // An expired card or a mistyped number is declined: the shopper tries another card.
    case 'card_declined':
    case 'expired_card':
    case 'incorrect_number':
      return 'card_declined';
    default:
      return 'provider_error';
  }
}

export function paymentFailed(reason: string, orderId: string): AppError {
  return new AppError('PAYMENT_FAILED', messageOf(reason), { reason, orderId });
}

function messageOf(reason: string): string {
  switch (reason) {
    case 'insufficient_funds':
      return 'the card has insufficient funds';
    case 'unsupported_card':
      return 'this card type is not accepted';
    case 'card_declined':
      return 'the card was declined';
    case 'approval_cancelled':
      return 'the payment was cancelled at PayPal';
    case 'approval_expired':
      return 'the payment was not approved at PayPal in time';
    default:
      return 'the payment provider could not process the payment; try again later';
  }
}

/**
 * An order's payment asked for again (the checkout retried): the same amount and method, or 409
 * CONFLICT. A void's tombstone (no amount) is answered as voided by the caller.
 */
export function assertSamePayment(existing: Pick<Payment, 'orderId' | 'amount' | 'method'>, request: { amount: Money; method: PaymentMethod }): void {
  if (!existing.amount) return;
  if (existing.amount.amount !== request.amount.amount || existing.amount.currency !== request.amount.currency) {
    throw new AppError('CONFLICT', `order ${existing.orderId} was authorized for another amount`, { orderId: existing.orderId });
  }
  if (existing.method !== request.method) {
    throw new AppError('CONFLICT', `order ${existing.orderId} is paid with ${existing.method}`, { orderId: existing.orderId });
  }
}

/** A void asked for before or while the authorization: nothing may be authorized for this order any more. */
export function isVoided(payment: Pick<Payment, 'status'>): boolean {
  return payment.status === 'voiding' || payment.status === 'voided';
}

const capturedOrBeingCaptured: readonly PaymentStatus[] = ['capture_requested', 'captured', 'capture_failed', 'refunding', 'refunded', 'refund_failed'];

/** Captured money is refunded, never voided. */
export function assertVoidable(payment: Pick<Payment, 'status' | 'orderId'>): void {
  if (capturedOrBeingCaptured.includes(payment.status)) {
    throw new AppError('CONFLICT', 'the payment was captured or is being captured; refund it instead', { orderId: payment.orderId, status: payment.status });
  }
}

/**
 * What a cancelled order's payment needs next: a void of what is only held (a capture not sent yet
 * is never sent; a PayPal approval nobody gave yet is withdrawn), a refund of what was captured, the provider's word on a capture it was sent
 * (`await_capture`: refunded once confirmed, voided if it fails), or nothing (no money was held,
 * it was given back already, or the order's cancellation was taken in before).
 */
export type CancellationStep = 'void' | 'refund' | 'await_capture' | 'nothing';

export function cancellationStepOf(payment: Pick<Payment, 'status' | 'captureSentAt' | 'cancelRequestedAt'>): CancellationStep {
  if (payment.cancelRequestedAt) return 'nothing';
  switch (payment.status) {
    // An approval nobody gave yet (awaiting_approval) is withdrawn at the provider.
    case 'authorizing':
    case 'awaiting_approval':
    case 'authorized':
    case 'capture_failed':
      return 'void';
    case 'capture_requested':
      return payment.captureSentAt ? 'await_capture' : 'void';
    case 'captured':
      return 'refund';
    default:
      return 'nothing';
  }
}

/**
 * How much a cancelled order gets back: what was captured, whatever the order asks for (the
 * payment took exactly that); `differs` says the order expected something else, for the log.
 */
export function refundAmountOf(captured: Money, requested: Money | undefined): { amount: Money; differs: boolean } {
  const differs = requested !== undefined && (requested.amount !== captured.amount || requested.currency !== captured.currency);
  return { amount: { amount: captured.amount, currency: captured.currency }, differs };
}

export function paymentAggregate(payment: Pick<Payment, 'id' | 'version'>): AggregateRef {
  return { type: 'payment', id: payment.id, version: payment.version };
}
