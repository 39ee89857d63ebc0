import { randomUUID } from 'node:crypto';
import { customerShippingAddressAdded } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { insertAddress } from '../db/address.repository';
import { toShippingAddress, type AddressInput } from '../domain/address';
import type { CustomerDeps } from './deps';

/** CMD-CUST-003: a domestic address with a valid postal code, available for orders. */
export async function addAddress(deps: CustomerDeps, principal: Principal, input: AddressInput) {
  const address = toShippingAddress(input, deps.config.SHOP_COUNTRY);
  return deps.transaction(async (tx) => {
    const saved = await insertAddress(tx, principal.customerId, { id: randomUUID(), ...address });
    await deps.outbox.add(tx, customerShippingAddressAdded, {
      customerId: principal.customerId,
      addressId: saved.id,
      address,
      addedAt: saved.createdAt.toISOString(),
    });
    return { ...saved, createdAt: saved.createdAt.toISOString() };
  });
}
