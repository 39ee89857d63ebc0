import type { PageQuery } from '@shop/db';
import { listOrders, type OrderFilter } from '../db/order.repository.js';
import type { OrderDeps } from './deps.js';
import { toAdminOrderView } from './order-view.js';

/** `GET /admin/orders`: every order, newest first, filtered by status, customer, placing time and order number. */
export async function listAllOrders(deps: OrderDeps, filter: OrderFilter, page: PageQuery) {
  const { items, total } = await listOrders(deps.db, filter, page);
  return { items: items.map((order) => toAdminOrderView(order, [])).map(({ statusHistory: _history, ...order }) => order), page: page.page, pageSize: page.pageSize, total };
}
