import { listSessionInvalidations as findInvalidations } from '../db/session.repository';
import type { CustomerDeps } from './deps';

/** For the gateway at start-up: customers whose sessions were invalidated since `since`. */
export async function listSessionInvalidations(deps: CustomerDeps, since: Date) {
  const rows = await findInvalidations(deps.db, since);
  return { items: rows.map((r) => ({ customerId: r.id, notBefore: (r.tokens_not_before as Date).toISOString() })) };
}
