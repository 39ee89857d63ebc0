import type { AggregateRef, Money, PaymentMethod } from '@shop/contracts';
import { AppError } from '@shop/platform';

/**
 * A payment's life: `authorizing` while the provider is asked, then `authorized` or `failed`;
 * an authorized payment is captured once its order exists (`capture_requested` -> `captured` or
 * `capture_failed`) or voided when the checkout is undone (`voiding` until the provider confirms,
 * then `voided`).
 */
export type PaymentStatus = 'authorizing' | 'authorized' | 'failed' | 'voiding' | 'voided' | 'capture_requested' | 'captured' | 'capture_failed';

/** Why a payment failed, as API.md names it in PAYMENT_FAILED `details.reason`. */
export type DeclineReason = 'card_declined' | 'insufficient_funds' | 'unsupported_card' | 'provider_error';

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
  /** Failed attempts of the capture or void job so far. */
  attempts: number;
  version: number;
  authorizedAt: Date | null;
  captureSentAt: Date | null;
  capturedAt: Date | null;
  voidedAt: Date | null;
}

const transitions: Record<PaymentStatus, readonly PaymentStatus[]> = {
  authorizing: ['authorized', 'failed', 'voiding', 'voided'],
  // A capture the provider confirms before the shop recorded asking for it (a redelivered order.placed).
  authorized: ['voiding', 'voided', 'capture_requested', 'captured', 'capture_failed'],
  failed: ['voiding', 'voided'],
  voiding: ['voided'],
  // An authorization that arrives (or may have arrived) after the void must be voided in turn.
  voided: ['voiding'],
  capture_requested: ['captured', 'capture_failed'],
  // A capture that failed may be retried by an admin, or the provider may still capture it.
  capture_failed: ['capture_requested', 'captured'],
  captured: [],
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
    default:
      return 'the payment provider could not process the payment; try again later';
  }
}

/** A void asked for before or while the authorization: nothing may be authorized for this order any more. */
export function isVoided(payment: Pick<Payment, 'status'>): boolean {
  return payment.status === 'voiding' || payment.status === 'voided';
}

/** Captured money is refunded, never voided. */
export function assertVoidable(payment: Pick<Payment, 'status' | 'orderId'>): void {
  if (payment.status === 'capture_requested' || payment.status === 'captured' || payment.status === 'capture_failed') {
    throw new AppError('CONFLICT', 'the payment was captured or is being captured; refund it instead', { orderId: payment.orderId, status: payment.status });
  }
}

export function paymentAggregate(payment: Pick<Payment, 'id' | 'version'>): AggregateRef {
  return { type: 'payment', id: payment.id, version: payment.version };
}
