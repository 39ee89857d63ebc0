import type { Principal } from '@shop/platform';
import { listAddresses as findAddresses } from '../db/address.repository';
import type { CustomerDeps } from './deps';

export async function listAddresses(deps: CustomerDeps, principal: Principal) {
  const addresses = await findAddresses(deps.db, principal.customerId);
  return { items: addresses.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) };
}
