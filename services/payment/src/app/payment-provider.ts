import type { Money, PaymentCard } from '@shop/contracts';
import type { DeclineReason } from '../domain/payment.js';

/**
 * The port to a card processor and PayPal-style wallet. The sandbox adapter implements it; a real
 * provider is one adapter more. A provider that cannot be reached, times out or fails (5xx) throws
 * AppError SERVICE_UNAVAILABLE; a refusal is an outcome, not an error.
 */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** Asks for the capture; the provider confirms it with a `captured` webhook. */
  capture(request: { authorizationId: string; amount: Money; idempotencyKey: string }): Promise<CaptureOutcome>;
  /**
   * Releases an authorization; voiding one already voided changes nothing. `captured`: the
   * provider captured it before the void reached it, so nothing was released (refund it instead).
   */
  void(request: { authorizationId: string; idempotencyKey: string }): Promise<VoidOutcome>;
  /**
   * Gives back (some of) what was captured; the same idempotency key again answers as the first
   * time and gives nothing back twice. A refusal (the issuer's, or nothing left to refund) is an
   * outcome for staff, not an error.
   */
  refund(request: { authorizationId: string; amount: Money; idempotencyKey: string }): Promise<RefundOutcome>;
  /** Where an authorization stands at the provider: `authorized`, `captured`, `capture_failed`, `voided`, ... */
  statusOf(authorizationId: string): Promise<string>;
  /** The authorizations made for a reference (the order id): what to void when an answer was lost. */
  authorizationsFor(reference: string): Promise<Array<{ authorizationId: string; status: string }>>;
  /**
   * Asks for a PayPal approval the shopper's browser is sent to. The same idempotency key again
   * answers with the same approval; `key_reused`: the key was used before with other return pages
   * (an earlier answer was lost), so the approval made then is to be found by its reference.
   */
  createApproval(request: ApprovalRequest): Promise<ProviderApproval | 'key_reused'>;
  /**
   * Withdraws an approval the shopper has not given; one cancelled already (by either) stays so.
   * `approved`: the shopper approved it first, so the money was taken (its capture webhook comes).
   */
  withdrawApproval(request: { approvalId: string; idempotencyKey: string }): Promise<WithdrawOutcome>;
  /** The approvals asked for with a reference (the order id), oldest first: what to withdraw when an answer was lost. */
  approvalsFor(reference: string): Promise<ProviderApproval[]>;
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

export type VoidOutcome = 'voided' | 'captured';

export type RefundOutcome = { outcome: 'refunded'; refundId: string; amount: Money } | { outcome: 'declined'; reason: string };

export interface ApprovalRequest {
  /** The order id. */
  reference: string;
  amount: Money;
  /** Where the provider sends the shopper's browser after approving, and after cancelling. */
  returnUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}

export interface ProviderApproval {
  approvalId: string;
  /** `awaiting_approval`, `approved` or `cancelled`. */
  status: string;
  /** The provider's page the shopper's browser is sent to. */
  approvalUrl: string;
  /** The captured authorization an approved approval became. */
  authorizationId: string | null;
  approvedAt: Date | null;
}

export type WithdrawOutcome = { outcome: 'withdrawn' } | { outcome: 'approved'; authorizationId: string; approvedAt: Date };

/** An event the provider sent by webhook. */
export interface ProviderEvent {
  /** The provider's event id: a replay carries the same one. */
  eventId: string;
  type: 'captured' | 'capture_failed' | 'refunded' | 'refund_failed' | 'approval_cancelled' | 'other';
  /** As the provider names it, for the log of events the shop does not act on. */
  providerType: string;
  /** Absent on an approval the shopper cancelled: no authorization was made. */
  authorizationId?: string;
  /** The PayPal approval the event is about (its capture, or its cancellation by the shopper). */
  approvalId?: string;
  /** The shop's reference (the order id). */
  reference?: string;
  reason?: string;
  /** The provider's refund, on `refunded` and `refund_failed`. */
  refundId?: string;
  /** The amount the event is about (a refund's: what was given back). */
  amount?: Money;
  occurredAt: Date;
}
