import { listCustomerInvalidations, listRevokedSessions } from '../db/session.repository';
import type { CustomerDeps } from './deps';

/**
 * For the gateway at start-up and after a broker outage: what ended since `since`. `items` are
 * customers all of whose tokens from before `notBefore` are void (suspension); `sessions` are
 * single sessions that ended (logout, password change, a stolen refresh token).
 */
export async function listSessionInvalidations(deps: CustomerDeps, since: Date) {
  const [customers, sessions] = await Promise.all([listCustomerInvalidations(deps.db, since), listRevokedSessions(deps.db, since)]);
  return {
    items: customers.map((r) => ({ customerId: r.id, notBefore: (r.tokens_not_before as Date).toISOString() })),
    sessions: sessions.map((r) => ({ customerId: r.customer_id, sessionId: r.id, revokedAt: (r.revoked_at as Date).toISOString() })),
  };
}
