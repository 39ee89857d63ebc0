import type { PageQuery } from '@shop/db';
import { listCustomerOrders } from '../db/order.repository.js';
import type { OrderDeps } from './deps.js';
import { toOrderView } from './order-view.js';

/** The customer's orders, newest first, a page at a time. */
export async function listOrders(deps: OrderDeps, customerId: string, page: PageQuery) {
  const { items, total } = await listCustomerOrders(deps.db, customerId, page);
  return { items: items.map(toOrderView), page: page.page, pageSize: page.pageSize, total };
}
