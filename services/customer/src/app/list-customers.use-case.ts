import { listCustomers as findCustomers, type CustomerListQuery } from '../db/customer.repository.js';
import type { CustomerDeps } from './deps.js';
import { toProfile } from './profile.js';

/** Admin: customers newest first, by status and/or a search over e-mail and names. */
export async function listCustomers(deps: CustomerDeps, query: CustomerListQuery) {
  const { items, total } = await findCustomers(deps.db, query);
  return { items: items.map(toProfile), page: query.page, pageSize: query.pageSize, total };
}
