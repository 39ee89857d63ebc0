import { assertFound } from '@shop/platform';
import { findOrder } from '../db/order.repository.js';
import type { OrderDeps } from './deps.js';
import { toOrderView } from './order-view.js';

/** One of the customer's orders; someone else's is as unknown as one that does not exist (404 ORDER_NOT_FOUND). */
export async function getOrder(deps: OrderDeps, customerId: string, orderId: string) {
  const found = await findOrder(deps.db, orderId);
  const order = found?.customerId === customerId ? found : undefined;
  assertFound(order, 'ORDER_NOT_FOUND', 'order not found', { orderId });
  return toOrderView(order);
}
