import type { Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

/** Keeps that the customer was erased, and when: nothing else of them. */
export async function recordErasure(db: Db, customerId: string, at: Date): Promise<void> {
  await db.insertInto('erased_customers').values({ customer_id: customerId, erased_at: at }).execute();
}

/** Customers erased since `since`, oldest first: every token of theirs from before then is void. */
export async function listErasures(db: Db, since: Date) {
  return db.selectFrom('erased_customers').select(['customer_id', 'erased_at']).where('erased_at', '>=', since).orderBy('erased_at').execute();
}
