import type { Kysely } from '@shop/db';
import type { Authorization, Refund } from '../authorization.js';
import { findAuthorization, listRefunds } from '../db/authorization.repository.js';
import type { SandboxDatabase } from '../db/schema.js';
import { ProviderError } from '../errors.js';

/** An authorization's current state with its refunds; 404 not_found if there is none. */
export async function getAuthorization(db: Kysely<SandboxDatabase>, id: string): Promise<{ authorization: Authorization; refunds: Refund[] }> {
  const authorization = await findAuthorization(db, id);
  if (!authorization) throw new ProviderError('not_found', `no authorization ${id}`);
  return { authorization, refunds: await listRefunds(db, id) };
}
