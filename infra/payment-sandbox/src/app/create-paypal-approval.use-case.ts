import type { Money } from '../authorization.js';
import { insertApproval } from '../db/paypal-approval.repository.js';
import { newId } from '../ids.js';
import type { PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';

export interface PaypalApprovalRequest {
  amount: Money;
  /** The shop's order id. */
  reference: string;
  returnUrl: string;
  cancelUrl: string;
}

/** Asks the shopper for a payment: an approval awaiting them, which the merchant sends their browser to. */
export async function createPaypalApproval(ctx: UseCaseContext, request: PaypalApprovalRequest): Promise<PaypalApproval> {
  const approval: PaypalApproval = {
    id: newId('pp'),
    status: 'awaiting_approval',
    amount: request.amount,
    reference: request.reference,
    returnUrl: request.returnUrl,
    cancelUrl: request.cancelUrl,
    authorizationId: null,
    cancelledBy: null,
    createdAt: ctx.now,
    approvedAt: null,
    cancelledAt: null,
  };
  await insertApproval(ctx.tx, approval);
  return approval;
}
