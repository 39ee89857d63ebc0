import { revokeSession } from '../db/session.repository.js';
import type { CustomerPrincipal } from './authenticate.use-case.js';
import type { CustomerDeps } from './deps.js';
import { announceSessionsEnded } from './session-ends.js';

/** Ends the caller's session: its refresh token stops working, and its access token is refused everywhere. */
export async function logout(deps: CustomerDeps, principal: CustomerPrincipal): Promise<void> {
  await deps.transaction(async (tx) => {
    const at = deps.now();
    if (await revokeSession(tx, principal.sessionId, 'logout', at)) {
      await announceSessionsEnded(deps, tx, principal.customer, { sessionIds: [principal.sessionId], reason: 'logout', at });
    }
  });
  deps.logger.info('customer logged out', { customerId: principal.customerId, sessionId: principal.sessionId });
}
