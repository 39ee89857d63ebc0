import type { Brand, DeclineCode, LaterFailure } from './cards.js';
import { ProviderError } from './errors.js';

/** An amount in minor units of a currency; never a float. */
export interface Money {
  amount: number;
  currency: string;
}

/** What paid: a card network, or `paypal` for an approved PayPal payment (no card behind it). */
export type PaymentBrand = Brand | 'paypal';

export type AuthorizationStatus = 'authorized' | 'declined' | 'captured' | 'capture_failed' | 'voided';

/** An authorization as the provider keeps it: no card data beyond brand and last four digits. */
export interface Authorization {
  id: string;
  status: AuthorizationStatus;
  amount: Money;
  reference: string;
  brand: PaymentBrand;
  last4: string | null;
  declineCode: DeclineCode | null;
  laterFailure: LaterFailure | null;
  capturedAmount: number | null;
  refundedAmount: number;
  createdAt: Date;
  capturedAt: Date | null;
  voidedAt: Date | null;
}

export type RefundStatus = 'succeeded' | 'failed';

export interface Refund {
  id: string;
  authorizationId: string;
  amount: number;
  status: RefundStatus;
  createdAt: Date;
}

function assertSameCurrency(authorization: Authorization, requested: Money): void {
  if (requested.currency !== authorization.amount.currency) {
    throw new ProviderError('currency_mismatch', `the amount must be in ${authorization.amount.currency}, the currency of the authorization`);
  }
}

/**
 * How much a capture takes: what was asked (at most the authorized amount), or all of it. Only an
 * authorization that is authorized, or whose capture failed before, can be captured.
 */
export function captureAmountOf(authorization: Authorization, requested: Money | undefined): number {
  if (authorization.status === 'voided') throw new ProviderError('authorization_voided', 'the authorization was voided and cannot be captured');
  if (authorization.status === 'declined') throw new ProviderError('authorization_declined', 'the authorization was declined and cannot be captured');
  if (!requested) return authorization.amount.amount;
  assertSameCurrency(authorization, requested);
  if (requested.amount > authorization.amount.amount) {
    throw new ProviderError('amount_too_large', `at most ${authorization.amount.amount} can be captured`);
  }
  return requested.amount;
}

/** Only an authorization not captured (and not declined) can be voided. */
export function assertVoidable(authorization: Authorization): void {
  if (authorization.status === 'captured') throw new ProviderError('authorization_captured', 'the authorization was captured; refund it instead');
  if (authorization.status === 'declined') throw new ProviderError('authorization_declined', 'the authorization was declined; there is nothing to void');
}

/** What is left to refund of a captured authorization. */
export function refundableOf(authorization: Authorization): number {
  return (authorization.capturedAmount ?? 0) - authorization.refundedAmount;
}

/**
 * How much a refund gives back: what was asked, or all that is left; never more than is left, so
 * the refunds of an authorization never add up to more than was captured.
 */
export function refundAmountOf(authorization: Authorization, requested: Money | undefined): number {
  if (authorization.status !== 'captured') throw new ProviderError('not_captured', 'only a captured authorization can be refunded');
  if (requested) assertSameCurrency(authorization, requested);
  const left = refundableOf(authorization);
  const amount = requested?.amount ?? left;
  if (left === 0) throw new ProviderError('amount_too_large', 'the captured amount has been refunded in full; nothing is left to refund');
  if (amount > left) throw new ProviderError('amount_too_large', `at most ${left} is left to refund`);
  return amount;
}
