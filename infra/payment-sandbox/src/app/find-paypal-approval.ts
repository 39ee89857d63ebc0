import { lockApproval } from '../db/paypal-approval.repository.js';
import { ProviderError } from '../errors.js';
import type { PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';

/** The approval, locked for the change about to be made to it; 404 not_found if there is none. */
export async function lockExistingApproval(ctx: UseCaseContext, id: string): Promise<PaypalApproval> {
  const approval = await lockApproval(ctx.tx, id);
  if (!approval) throw new ProviderError('not_found', `no PayPal approval ${id}`);
  return approval;
}
