import type { Principal } from '@shop/platform';
import { listAddresses as findAddresses } from '../db/address.repository.js';
import type { CustomerDeps } from './deps.js';

export async function listAddresses(deps: CustomerDeps, principal: Principal) {
  const addresses = await findAddresses(deps.db, principal.customerId);
  return { items: addresses.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) };
}
