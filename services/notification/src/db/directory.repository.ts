import type { Kysely, Transaction } from '@shop/db';
import type { NotificationDatabase } from './schema';

type Db = Kysely<NotificationDatabase> | Transaction<NotificationDatabase>;

/** A customer as the worker knows them from customer events. */
export interface KnownCustomer {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** Writes what a customer event says of the customer; the caller skips events older than the view. */
export async function saveCustomer(db: Db, customer: KnownCustomer): Promise<void> {
  const values = { email: customer.email, first_name: customer.firstName, last_name: customer.lastName, updated_at: new Date() };
  await db
    .insertInto('customers')
    .values({ customer_id: customer.customerId, ...values })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet(values))
    .execute();
}

/** Changes some of what the view knows of a customer it already has (an event that names no full profile). */
export async function updateCustomer(db: Db, customerId: string, change: Partial<Omit<KnownCustomer, 'customerId'>>): Promise<void> {
  const set = {
    ...(change.email !== undefined && { email: change.email }),
    ...(change.firstName !== undefined && { first_name: change.firstName }),
    ...(change.lastName !== undefined && { last_name: change.lastName }),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('customers').set({ ...set, updated_at: new Date() }).where('customer_id', '=', customerId).execute();
}

export async function findCustomer(db: Db, customerId: string): Promise<KnownCustomer | undefined> {
  const row = await db.selectFrom('customers').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
  return row && { customerId: row.customer_id, email: row.email, firstName: row.first_name, lastName: row.last_name };
}

/** An order as the mails need it. */
export interface KnownOrder {
  orderId: string;
  orderNumber: string;
  customerId: string;
  email: string | null;
}

export async function saveOrder(db: Db, order: KnownOrder): Promise<void> {
  await db
    .insertInto('orders')
    .values({ order_id: order.orderId, order_number: order.orderNumber, customer_id: order.customerId, email: order.email })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute();
}

export async function findOrder(db: Db, orderId: string): Promise<KnownOrder | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  return row && { orderId: row.order_id, orderNumber: row.order_number, customerId: row.customer_id, email: row.email };
}

/** customer.data-erased: the customer leaves the view, and their orders keep no address and no link to them. */
export async function forgetCustomerDirectory(db: Db, customerId: string, anonymizedId: string): Promise<void> {
  await db.deleteFrom('customers').where('customer_id', '=', customerId).execute();
  await db.updateTable('orders').set({ email: null, customer_id: anonymizedId }).where('customer_id', '=', customerId).execute();
}
