import { randomUUID } from 'node:crypto';
import { customerShippingAddressAdded } from '@shop/contracts';
import { assertFound, type Principal } from '@shop/platform';
import { countAddresses, insertAddress } from '../db/address.repository.js';
import { findCustomerById } from '../db/customer.repository.js';
import { assertRoomForAddress, toShippingAddress, type AddressInput } from '../domain/address.js';
import { customerAggregate } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';

/** CMD-CUST-003: a domestic address with a valid postal code, available for orders; at most 20 per customer. */
export async function addAddress(deps: CustomerDeps, principal: Principal, input: AddressInput) {
  const address = toShippingAddress(input, deps.config.SHOP_COUNTRY);
  return deps.transaction(async (tx) => {
    // Locked, so two addresses added at once cannot both slip under the limit.
    const customer = await findCustomerById(tx, principal.customerId, { forUpdate: true });
    assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found');
    assertRoomForAddress(await countAddresses(tx, customer.id));
    const saved = await insertAddress(tx, customer.id, { id: randomUUID(), ...address });
    await deps.outbox.add(
      tx,
      customerShippingAddressAdded,
      { customerId: customer.id, addressId: saved.id, address, addedAt: saved.createdAt.toISOString() },
      customerAggregate(customer),
    );
    return { ...saved, createdAt: saved.createdAt.toISOString() };
  });
}
