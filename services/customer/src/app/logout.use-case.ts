import type { Principal } from '@shop/platform';
import { revokeSession } from '../db/session.repository';
import type { CustomerDeps } from './deps';

/** Ends the caller's session: its refresh token stops working. */
export async function logout(deps: CustomerDeps, principal: Principal): Promise<void> {
  await revokeSession(deps.db, principal.sessionId, 'logout', deps.now());
}
