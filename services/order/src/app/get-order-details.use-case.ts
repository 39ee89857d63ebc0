import { assertFound } from '@shop/platform';
import { findOrder, statusHistoryOf } from '../db/order.repository.js';
import type { OrderDeps } from './deps.js';
import { toAdminOrderView } from './order-view.js';

/** `GET /admin/orders/:id`: any order with its status history and payment (never card data beyond brand and last four). */
export async function getOrderDetails(deps: OrderDeps, orderId: string) {
  const order = await findOrder(deps.db, orderId);
  assertFound(order, 'ORDER_NOT_FOUND', 'order not found', { orderId });
  return toAdminOrderView(order, await statusHistoryOf(deps.db, orderId));
}
