import type { Kysely, Selectable } from '@shop/db';
import type { AddressInput } from '../domain/address.js';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;
type AddressRow = Selectable<CustomerDatabase['addresses']>;

export interface Address extends AddressInput {
  id: string;
  createdAt: Date;
}

const toAddress = (row: AddressRow): Address => ({
  id: row.id,
  recipientName: row.recipient_name,
  street: row.street,
  city: row.city,
  state: row.state,
  postalCode: row.postal_code,
  country: row.country,
  createdAt: row.created_at,
});

export async function insertAddress(db: Db, customerId: string, address: Omit<Address, 'createdAt'>): Promise<Address> {
  const row = await db
    .insertInto('addresses')
    .values({
      id: address.id,
      customer_id: customerId,
      recipient_name: address.recipientName,
      street: address.street,
      city: address.city,
      state: address.state,
      postal_code: address.postalCode,
      country: address.country,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAddress(row);
}

export async function listAddresses(db: Db, customerId: string): Promise<Address[]> {
  const rows = await db.selectFrom('addresses').selectAll().where('customer_id', '=', customerId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toAddress);
}

/** One of the customer's addresses; someone else's is not found. */
export async function findAddress(db: Db, customerId: string, addressId: string): Promise<Address | undefined> {
  const row = await db.selectFrom('addresses').selectAll().where('id', '=', addressId).where('customer_id', '=', customerId).executeTakeFirst();
  return row && toAddress(row);
}

export async function countAddresses(db: Db, customerId: string): Promise<number> {
  const row = await db.selectFrom('addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
  return Number(row.n);
}
