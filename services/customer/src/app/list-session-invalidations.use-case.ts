import { listErasures } from '../db/erased-customer.repository.js';
import { listCustomerInvalidations, listRevokedSessions } from '../db/session.repository.js';
import type { CustomerDeps } from './deps.js';

/**
 * For the gateway at start-up and after a broker outage: what ended since `since`. `items` are
 * customers all of whose tokens from before `notBefore` are void (suspension, erasure); `sessions`
 * are single sessions that ended (logout, password change, a stolen refresh token).
 */
export async function listSessionInvalidations(deps: CustomerDeps, since: Date) {
  const [customers, erasures, sessions] = await Promise.all([
    listCustomerInvalidations(deps.db, since),
    listErasures(deps.db, since),
    listRevokedSessions(deps.db, since),
  ]);
  const items = [
    ...customers.map((r) => ({ customerId: r.id, notBefore: r.tokens_not_before as Date })),
    ...erasures.map((r) => ({ customerId: r.customer_id, notBefore: r.erased_at })),
  ].sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime());
  return {
    items: items.map((r) => ({ customerId: r.customerId, notBefore: r.notBefore.toISOString() })),
    sessions: sessions.map((r) => ({ customerId: r.customer_id, sessionId: r.id, revokedAt: (r.revoked_at as Date).toISOString() })),
  };
}
