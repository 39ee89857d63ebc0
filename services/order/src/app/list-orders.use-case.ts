import type { PageQuery } from '@shop/db';
import { listCustomerOrders } from '../db/order.repository';
import type { OrderDeps } from './deps';
import { toOrderView } from './order-view';

/** The customer's orders, newest first, a page at a time. */
export async function listOrders(deps: OrderDeps, customerId: string, page: PageQuery) {
  const { items, total } = await listCustomerOrders(deps.db, customerId, page);
  return { items: items.map(toOrderView), page: page.page, pageSize: page.pageSize, total };
}
