import type { Authorization } from '../authorization.js';
import { lockAuthorization } from '../db/authorization.repository.js';
import { ProviderError } from '../errors.js';
import type { UseCaseContext } from './deps.js';

/** The authorization, locked for the change about to be made to it; 404 not_found if there is none. */
export async function lockExisting(ctx: UseCaseContext, id: string): Promise<Authorization> {
  const authorization = await lockAuthorization(ctx.tx, id);
  if (!authorization) throw new ProviderError('not_found', `no authorization ${id}`);
  return authorization;
}
