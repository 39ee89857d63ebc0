import type { Payment } from '../domain/payment.js';
import type { PaymentDeps } from './deps.js';

export interface ApprovalsWithdrawn {
  /** The approvals the provider confirmed withdrawn (or found cancelled already). */
  withdrawn: string[];
  /** An approval the shopper gave before it could be withdrawn: the provider took the money. */
  approved?: { approvalId: string; authorizationId: string; approvedAt: Date };
}

/**
 * Withdraws at the provider every approval it may hold for a PayPal payment, so nobody can approve
 * it any more: the one the shop stored, or, when the answer to asking for one was lost, those the
 * provider made for the order's reference. A payment never sent to the provider has none. No
 * transaction is open while the provider is asked; the caller records the outcome in its own.
 */
export async function withdrawApprovals(deps: PaymentDeps, payment: Payment): Promise<ApprovalsWithdrawn> {
  if (!payment.approvalRequestedAt && !payment.paypalApprovalId) return { withdrawn: [] };
  const approvalIds = payment.paypalApprovalId
    ? [payment.paypalApprovalId]
    : (await deps.provider.approvalsFor(payment.orderId)).filter((a) => a.status !== 'cancelled').map((a) => a.approvalId);
  const withdrawn: string[] = [];
  for (const approvalId of approvalIds) {
    const outcome = await deps.provider.withdrawApproval({ approvalId, idempotencyKey: `withdraw-${approvalId}` });
    if (outcome.outcome === 'approved') return { withdrawn, approved: { approvalId, authorizationId: outcome.authorizationId, approvedAt: outcome.approvedAt } };
    withdrawn.push(approvalId);
  }
  return { withdrawn };
}
