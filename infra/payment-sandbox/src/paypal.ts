import type { Authorization, Money } from './authorization.js';
import { ProviderError } from './errors.js';

/**
 * A PayPal-style redirect payment: the merchant asks for an approval, sends the shopper to the
 * sandbox's page, and the shopper approves it (the money is taken at once) or cancels it. The
 * merchant may withdraw one nobody answered yet.
 */
export type ApprovalStatus = 'awaiting_approval' | 'approved' | 'cancelled';

/** Who cancelled an approval: the shopper on the page, or the merchant through the API. */
export type CancelledBy = 'shopper' | 'merchant';

export interface PaypalApproval {
  id: string;
  status: ApprovalStatus;
  amount: Money;
  /** The shop's order id. */
  reference: string;
  /** Where the shopper's browser goes after approving. */
  returnUrl: string;
  /** Where the shopper's browser goes after cancelling. */
  cancelUrl: string;
  /** The captured authorization an approved approval became. */
  authorizationId: string | null;
  cancelledBy: CancelledBy | null;
  createdAt: Date;
  approvedAt: Date | null;
  cancelledAt: Date | null;
}

const withdrawn = () => new ProviderError('approval_cancelled', 'the merchant withdrew this payment; it can no longer be approved or cancelled');

/** Only an approval still awaiting the shopper can be approved (approving an approved one again is the caller's no-op). */
export function assertApprovable(approval: PaypalApproval): void {
  if (approval.cancelledBy === 'merchant') throw withdrawn();
  if (approval.status === 'cancelled') throw new ProviderError('approval_cancelled', 'this payment was cancelled; it can no longer be approved');
}

/** The shopper cannot cancel what was approved, nor what the merchant withdrew. */
export function assertCancellableByShopper(approval: PaypalApproval): void {
  if (approval.status === 'approved') throw new ProviderError('approval_completed', 'this payment was approved; it can no longer be cancelled');
  if (approval.cancelledBy === 'merchant') throw withdrawn();
}

/** The merchant can withdraw an approval nobody gave yet; the money of an approved one is taken: refund it instead. */
export function assertWithdrawable(approval: PaypalApproval): void {
  if (approval.status === 'approved') throw new ProviderError('approval_completed', 'the shopper approved this payment already; refund its authorization instead');
}

/**
 * The authorization an approval becomes when the shopper approves it: captured in full at once,
 * as a wallet payment is, with no card behind it (brand `paypal`, no last four digits).
 */
export function capturedPaymentOf(approval: PaypalApproval, authorizationId: string, now: Date): Authorization {
  return {
    id: authorizationId,
    status: 'captured',
    amount: approval.amount,
    reference: approval.reference,
    brand: 'paypal',
    last4: null,
    declineCode: null,
    laterFailure: null,
    capturedAmount: approval.amount.amount,
    refundedAmount: 0,
    createdAt: now,
    capturedAt: now,
    voidedAt: null,
  };
}
