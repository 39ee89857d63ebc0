import { markCancelled } from '../db/paypal-approval.repository.js';
import { assertCancellableByShopper, type PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';
import { lockExistingApproval } from './find-paypal-approval.js';
import { recordApprovalEvent } from './record-event.js';

/**
 * The shopper cancels on the sandbox's page: the approval is cancelled and
 * `payment.approval_cancelled` tells the merchant (no authorization was ever made). Cancelling it
 * again changes nothing.
 */
export async function cancelPaypalPayment(ctx: UseCaseContext, id: string): Promise<PaypalApproval> {
  const approval = await lockExistingApproval(ctx, id);
  if (approval.cancelledBy === 'shopper') return approval;
  assertCancellableByShopper(approval);
  const cancelled = await markCancelled(ctx.tx, id, 'shopper', ctx.now);
  await recordApprovalEvent(ctx, cancelled, 'payment.approval_cancelled', { cancelledAt: ctx.now.toISOString() });
  return cancelled;
}
