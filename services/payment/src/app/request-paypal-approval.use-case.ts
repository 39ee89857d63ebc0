import { AppError, isTransientError } from '@shop/platform';
import { findPaymentByOrder, updatePayment } from '../db/payment.repository.js';
import type { Payment } from '../domain/payment.js';
import { assertApprovable, assertReturnUrls } from '../domain/paypal.js';
import type { PaymentDeps } from './deps.js';
import type { ProviderApproval } from './payment-provider.js';
import { withdrawApprovals } from './withdraw-approvals.js';

export interface PaypalApprovalInput {
  orderId: string;
  /** The signed-in customer: only their own order's payment. */
  customerId: string;
  returnUrl: string;
  cancelUrl: string;
}

/**
 * `POST /payments/paypal`: where to send the shopper's browser to approve their PayPal payment.
 * The return and cancel pages must be the shop's; the payment must be the customer's, PayPal and
 * still awaiting approval. The provider is asked for one approval per order (one idempotency key
 * per order): asked again, the shop answers the same page without asking the provider. The
 * approval is stored before answering, because the provider's webhooks name it. A provider that
 * cannot be reached, times out or fails: 502 PAYMENT_PROVIDER_ERROR (asking again is safe).
 */
export async function requestPaypalApproval(deps: PaymentDeps, input: PaypalApprovalInput): Promise<{ redirectUrl: string }> {
  assertReturnUrls(input, deps.config.PAYPAL_RETURN_ORIGINS);
  const payment = await noteApprovalRequested(deps, input);
  if (payment.paypalApprovalUrl) return { redirectUrl: payment.paypalApprovalUrl };
  const approval = await askProvider(deps, payment, input);
  return { redirectUrl: await storeApproval(deps, payment, approval) };
}

/** The customer's payment awaiting approval, marked as sent to the provider (from now on it may hold an approval). */
function noteApprovalRequested(deps: PaymentDeps, input: PaypalApprovalInput): Promise<Payment> {
  return deps.transaction(async (tx) => {
    const payment = await findPaymentByOrder(tx, input.orderId, { forUpdate: true });
    assertApprovable(payment, input.customerId, input.orderId);
    if (payment.approvalRequestedAt) return payment;
    const at = deps.now();
    return updatePayment(tx, payment.id, { approval_requested_at: at }, at);
  });
}

async function askProvider(deps: PaymentDeps, payment: Payment, input: PaypalApprovalInput): Promise<ProviderApproval> {
  try {
    const created = await deps.provider.createApproval({
      reference: payment.orderId,
      amount: payment.amount!,
      returnUrl: input.returnUrl,
      cancelUrl: input.cancelUrl,
      idempotencyKey: `paypal-approval-${payment.orderId}`,
    });
    if (created !== 'key_reused') return created;
    // Asked before with other pages, and that answer was lost: the approval made then is the order's.
    const earlier = (await deps.provider.approvalsFor(payment.orderId)).find((a) => a.status === 'awaiting_approval');
    if (!earlier) throw new AppError('CONFLICT', 'the PayPal payment of this order no longer awaits approval', { orderId: payment.orderId });
    return earlier;
  } catch (err) {
    if (!isTransientError(err)) throw err;
    deps.logger.warn('the payment provider could not be asked for a PayPal approval', { orderId: payment.orderId });
    throw new AppError('PAYMENT_PROVIDER_ERROR', 'the payment provider could not be reached; try again later', {}, { cause: err });
  }
}

/**
 * Stores the approval, so its webhooks find the payment. If the payment stopped awaiting approval
 * while the provider was asked (it expired, or its order was cancelled), the new approval is
 * withdrawn again and the customer is told 409 CONFLICT; if another request stored one first, its
 * page is the answer.
 */
async function storeApproval(deps: PaymentDeps, payment: Payment, approval: ProviderApproval): Promise<string> {
  const stored = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (!current) throw new Error(`payment ${payment.id} disappeared`);
    if (current.paypalApprovalId) return current;
    const at = deps.now();
    return updatePayment(tx, current.id, { paypal_approval_id: approval.approvalId, paypal_approval_url: approval.approvalUrl }, at);
  });
  if (stored.status !== 'awaiting_approval') {
    await withdrawApprovals(deps, stored).catch((err: unknown) =>
      deps.logger.warn('a PayPal approval asked for as its payment ended could not be withdrawn; nobody was sent to it', { orderId: stored.orderId, error: String(err) }),
    );
    throw new AppError('CONFLICT', 'the payment of this order no longer awaits approval', { orderId: stored.orderId, status: stored.status });
  }
  deps.logger.info('a shopper is sent to PayPal', { orderId: stored.orderId, approvalId: stored.paypalApprovalId });
  return stored.paypalApprovalUrl!;
}
