import type { Transaction } from '@shop/db';
import { lockCustomerKey } from '../db/customer.repository.js';
import { saveOrderState } from '../db/open-order.repository.js';
import type { CustomerDatabase } from '../db/schema.js';
import { changeFor, type OrderEventKind } from '../domain/open-orders.js';
import type { CustomerDeps } from './deps.js';

/**
 * An order event updates the customer's open orders (changeFor says how). The customer's row is
 * held meanwhile, so an erasure deciding at the same moment sees this order or comes first; an
 * order of a customer this service does not know (erased) is not followed.
 */
export async function trackOrder(deps: CustomerDeps, tx: Transaction<CustomerDatabase>, order: { orderId: string; customerId: string }, kind: OrderEventKind): Promise<void> {
  if (!(await lockCustomerKey(tx, order.customerId))) {
    deps.logger.info('order event of an unknown or erased customer ignored', { orderId: order.orderId, kind });
    return;
  }
  await saveOrderState(tx, order, changeFor(kind), deps.now());
}
