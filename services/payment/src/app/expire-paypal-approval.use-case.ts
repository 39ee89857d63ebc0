import { findPaymentByOrder, updatePayment } from '../db/payment.repository.js';
import type { Payment } from '../domain/payment.js';
import { captureConfirmationDueAt } from '../domain/paypal.js';
import { recordApprovalFailed, recordApproved } from './approval-outcome.js';
import type { PaymentDeps } from './deps.js';
import { withdrawApprovals } from './withdraw-approvals.js';

/**
 * The provider job's turn on a PayPal payment nobody approved within PAYPAL_APPROVAL_TTL_MS: its
 * approval is withdrawn at the provider first, so it can no longer be approved, then the payment
 * fails (`approval_expired`) and `payment.failed` tells the order service, which cancels the order
 * and releases its stock. If the shopper approved just before, the money was taken: the payment is
 * left awaiting the capture webhook, and taken as captured by asking once that webhook is overdue
 * (CAPTURE_CONFIRMATION_WAIT_MS after the approval).
 */
export async function expirePaypalApproval(deps: PaymentDeps, payment: Payment): Promise<Payment | undefined> {
  const { withdrawn, approved } = await withdrawApprovals(deps, payment);
  return deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    // Approved, cancelled by the shopper or by the order meanwhile: that outcome stands.
    if (current?.status !== 'awaiting_approval') return current;
    const at = deps.now();
    if (approved) {
      const dueAt = captureConfirmationDueAt(approved.approvedAt, deps.config.CAPTURE_CONFIRMATION_WAIT_MS);
      if (dueAt > at) {
        deps.logger.info('a PayPal payment was approved as its time ran out; its capture webhook is awaited', { orderId: current.orderId, approvalId: approved.approvalId });
        return updatePayment(tx, current.id, { next_attempt_at: dueAt }, at);
      }
      deps.logger.warn("the provider's capture webhook of an approved PayPal payment is overdue; the capture was confirmed by asking", { orderId: current.orderId });
      return recordApproved(deps, tx, current, approved, at);
    }
    // An approval stored after the provider was asked (the shopper was sent there meanwhile) is withdrawn on a round right after.
    if (current.paypalApprovalId && !withdrawn.includes(current.paypalApprovalId)) return updatePayment(tx, current.id, { next_attempt_at: at }, at);
    deps.logger.info('a PayPal payment was not approved in time', { orderId: current.orderId, withdrawn: withdrawn.length });
    return recordApprovalFailed(deps, tx, current, 'approval_expired', at);
  });
}
