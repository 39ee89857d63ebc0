import type { Money, PaymentCard } from '@shop/contracts';
import type { DeclineReason } from '../domain/payment';

/**
 * The port to a card processor. The sandbox adapter implements it; a real provider is one adapter
 * more. A provider that cannot be reached, times out or fails (5xx) throws AppError
 * SERVICE_UNAVAILABLE; a refusal is an outcome, not an error.
 */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** Asks for the capture; the provider confirms it with a `captured` webhook. */
  capture(request: { authorizationId: string; amount: Money; idempotencyKey: string }): Promise<CaptureOutcome>;
  /** Releases an authorization; voiding one already voided changes nothing. */
  void(request: { authorizationId: string; idempotencyKey: string }): Promise<void>;
  /** Where an authorization stands at the provider: `authorized`, `captured`, `capture_failed`, `voided`, ... */
  statusOf(authorizationId: string): Promise<string>;
  /** The authorizations made for a reference (the order id): what to void when an answer was lost. */
  authorizationsFor(reference: string): Promise<Array<{ authorizationId: string; status: string }>>;
  /** Checks a webhook's signature and age and reads its event; 401 INVALID_SIGNATURE when it is not the provider's. */
  readWebhook(rawBody: Buffer | undefined, signature: string | undefined): ProviderEvent;
  close(): void;
}

export interface AuthorizeRequest {
  /** The order id: the provider keeps it, so a lost answer can be looked up. */
  reference: string;
  amount: Money;
  /** Goes to the provider and nowhere else. */
  card: PaymentCard;
  idempotencyKey: string;
}

export type AuthorizeOutcome =
  | { outcome: 'authorized'; authorizationId: string; brand: string; last4: string }
  | { outcome: 'declined'; reason: DeclineReason; brand?: string; last4?: string };

export type CaptureOutcome = { outcome: 'requested' } | { outcome: 'declined'; reason: string };

/** An event the provider sent by webhook. */
export interface ProviderEvent {
  /** The provider's event id: a replay carries the same one. */
  eventId: string;
  type: 'captured' | 'capture_failed' | 'refunded' | 'refund_failed' | 'other';
  /** As the provider names it, for the log of events the shop does not act on. */
  providerType: string;
  authorizationId: string;
  reason?: string;
  occurredAt: Date;
}
