import { markCancelled } from '../db/paypal-approval.repository.js';
import { assertWithdrawable, type PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';
import { lockExistingApproval } from './find-paypal-approval.js';

/**
 * The merchant cancels an approval the shopper has not given (its own timeout ran out): it can no
 * longer be approved. No webhook: the merchant asked. A cancelled approval, whoever cancelled it,
 * stays as it is.
 */
export async function withdrawPaypalApproval(ctx: UseCaseContext, id: string): Promise<PaypalApproval> {
  const approval = await lockExistingApproval(ctx, id);
  if (approval.status === 'cancelled') return approval;
  assertWithdrawable(approval);
  return markCancelled(ctx.tx, id, 'merchant', ctx.now);
}
