import { insertAuthorization } from '../db/authorization.repository.js';
import { markApproved } from '../db/paypal-approval.repository.js';
import { newId } from '../ids.js';
import { assertApprovable, capturedPaymentOf, type PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';
import { lockExistingApproval } from './find-paypal-approval.js';
import { recordEvent } from './record-event.js';

/**
 * The shopper approves on the sandbox's page: the payment becomes an authorization captured at
 * once (refunded later like a card's), the approval points at it, and `payment.captured` tells the
 * merchant. Approving an approved payment again changes nothing.
 */
export async function approvePaypalPayment(ctx: UseCaseContext, id: string): Promise<PaypalApproval> {
  const approval = await lockExistingApproval(ctx, id);
  if (approval.status === 'approved') return approval;
  assertApprovable(approval);
  const authorization = capturedPaymentOf(approval, newId('auth'), ctx.now);
  await insertAuthorization(ctx.tx, authorization);
  const approved = await markApproved(ctx.tx, id, authorization.id, ctx.now);
  await recordEvent(ctx, authorization, 'payment.captured', authorization.amount.amount, { capturedAt: ctx.now.toISOString() }, id);
  return approved;
}
