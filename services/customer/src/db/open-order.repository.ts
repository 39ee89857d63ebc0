import type { Kysely } from '@shop/db';
import type { OrderStateChange } from '../domain/open-orders.js';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

/**
 * Writes what an order event says, in one statement, so two events of one order handled at the
 * same time (two replicas) end in the same state whatever their order: a change that does not
 * replace leaves a known order as it is.
 */
export async function saveOrderState(db: Db, order: { orderId: string; customerId: string }, change: OrderStateChange, at: Date): Promise<void> {
  await db
    .insertInto('customer_orders')
    .values({ order_id: order.orderId, customer_id: order.customerId, state: change.state, updated_at: at })
    .onConflict((oc) => (change.replaces ? oc.column('order_id').doUpdateSet({ state: change.state, updated_at: at }) : oc.column('order_id').doNothing()))
    .execute();
}

/** The ids of the customer's orders not yet delivered or cancelled. */
export async function listOpenOrders(db: Db, customerId: string): Promise<string[]> {
  const rows = await db.selectFrom('customer_orders').select('order_id').where('customer_id', '=', customerId).where('state', '=', 'open').orderBy('order_id').execute();
  return rows.map((r) => r.order_id);
}

export async function forgetCustomerOrders(db: Db, customerId: string): Promise<void> {
  await db.deleteFrom('customer_orders').where('customer_id', '=', customerId).execute();
}
