import type { Transaction } from '@shop/db';
import { deleteCustomerCart } from '../db/cart.repository.js';
import type { CartDatabase } from '../db/schema.js';
import type { CartDeps } from './deps.js';

/**
 * customer.data-erased: the customer's cart goes, with its lines and the lines kept for undo. A
 * cart gone already (emptied and deleted before, or never made) is no error, so the event can come
 * any number of times.
 */
export async function forgetCustomerCart(deps: CartDeps, tx: Transaction<CartDatabase>, customerId: string): Promise<void> {
  const deleted = await deleteCustomerCart(tx, customerId);
  deps.logger.info('cart of an erased customer deleted', { customerId, carts: deleted });
}
