import { assertFound } from '@shop/platform';
import { findAddress } from '../db/address.repository.js';
import { findCustomerById } from '../db/customer.repository.js';
import { normalizeAddress, type AddressInput } from '../domain/address.js';
import { assertMayOrder } from '../domain/customer.js';
import type { CustomerDeps } from './deps.js';

export type ShippingChoice = { shippingAddressId: string } | { shippingAddress: AddressInput };

/**
 * SEQ-ORDER-001 step 2 for the order service: the customer may order (verified, not suspended), and
 * the address to ship to is one of theirs or a valid address given inline. Whether the shop ships
 * to its country is the order service's call.
 */
export async function getCheckoutDetails(deps: CustomerDeps, customerId: string, choice: ShippingChoice) {
  const customer = await findCustomerById(deps.db, customerId);
  assertFound(customer, 'CUSTOMER_NOT_FOUND', 'customer not found', { customerId });
  assertMayOrder(customer);
  return {
    customerId: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    shippingAddress: await shippingAddressOf(deps.db, customer.id, choice),
  };
}

async function shippingAddressOf(db: CustomerDeps['db'], customerId: string, choice: ShippingChoice): Promise<AddressInput> {
  if ('shippingAddress' in choice) return normalizeAddress(choice.shippingAddress);
  const saved = await findAddress(db, customerId, choice.shippingAddressId);
  assertFound(saved, 'ADDRESS_NOT_FOUND', 'no such address among yours', { field: 'shippingAddressId' });
  const { recipientName, street, city, state, postalCode, country } = saved;
  return { recipientName, street, city, state, postalCode, country };
}
