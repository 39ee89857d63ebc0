import { sql, type Kysely, type Transaction } from '@shop/db';
import type { NotificationDatabase } from './schema.js';

type Db = Kysely<NotificationDatabase> | Transaction<NotificationDatabase>;

/** A customer as the worker knows them from customer events. */
export interface KnownCustomer {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/**
 * customer.registered: the whole customer, at the event's aggregate version. Each field keeps the
 * version of the event that set it, so an event that arrives late changes only what no newer
 * event has changed already.
 */
export async function saveCustomer(db: Db, customer: KnownCustomer, version: number): Promise<void> {
  await db
    .insertInto('customers')
    .values({
      customer_id: customer.customerId,
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      email_version: version,
      name_version: version,
    })
    .onConflict((oc) =>
      oc.column('customer_id').doUpdateSet((eb) => ({
        email: sql<string>`CASE WHEN customers.email_version < ${version} THEN ${eb.ref('excluded.email')} ELSE customers.email END`,
        email_version: sql<number>`greatest(customers.email_version, ${version})`,
        first_name: sql<string>`CASE WHEN customers.name_version < ${version} THEN ${eb.ref('excluded.first_name')} ELSE customers.first_name END`,
        last_name: sql<string>`CASE WHEN customers.name_version < ${version} THEN ${eb.ref('excluded.last_name')} ELSE customers.last_name END`,
        name_version: sql<number>`greatest(customers.name_version, ${version})`,
        updated_at: new Date(),
      })),
    )
    .execute();
}

/** A new address (customer.email-changed), unless a newer event set one already. */
export async function updateCustomerEmail(db: Db, customerId: string, email: string, version: number): Promise<void> {
  await db.updateTable('customers').set({ email, email_version: version, updated_at: new Date() }).where('customer_id', '=', customerId).where('email_version', '<', version).execute();
}

/** A new name (customer.profile-updated; e-mail changes carry the first name), unless a newer event set one already. */
export async function updateCustomerName(db: Db, customerId: string, name: { firstName: string; lastName?: string }, version: number): Promise<void> {
  await db
    .updateTable('customers')
    .set({ first_name: name.firstName, ...(name.lastName !== undefined && { last_name: name.lastName }), name_version: version, updated_at: new Date() })
    .where('customer_id', '=', customerId)
    .where('name_version', '<', version)
    .execute();
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
