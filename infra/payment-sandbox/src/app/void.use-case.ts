import { assertVoidable, type Authorization } from '../authorization.js';
import { markVoided } from '../db/authorization.repository.js';
import type { UseCaseContext } from './deps.js';
import { lockExisting } from './find-authorization.js';

/** Releases the hold; voiding a voided authorization changes nothing. */
export async function voidAuthorization(ctx: UseCaseContext, id: string): Promise<Authorization> {
  const authorization = await lockExisting(ctx, id);
  if (authorization.status === 'voided') return authorization;
  assertVoidable(authorization);
  return markVoided(ctx.tx, id, ctx.now);
}
