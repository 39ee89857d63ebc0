import type { Kysely } from '@shop/db';
import { findApproval } from '../db/paypal-approval.repository.js';
import type { SandboxDatabase } from '../db/schema.js';
import { ProviderError } from '../errors.js';
import type { PaypalApproval } from '../paypal.js';

/** An approval's current state; 404 not_found if there is none. */
export async function getPaypalApproval(db: Kysely<SandboxDatabase>, id: string): Promise<PaypalApproval> {
  const approval = await findApproval(db, id);
  if (!approval) throw new ProviderError('not_found', `no PayPal approval ${id}`);
  return approval;
}
