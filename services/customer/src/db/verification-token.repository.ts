import type { Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

/** Stores a new token's hash and voids the customer's unused older ones (superseded). */
export async function replaceVerificationToken(db: Db, token: { hash: Buffer; customerId: string; email: string; expiresAt: Date }): Promise<void> {
  await db.deleteFrom('verification_tokens').where('customer_id', '=', token.customerId).where('used_at', 'is', null).execute();
  await db
    .insertInto('verification_tokens')
    .values({ token_hash: token.hash, customer_id: token.customerId, email: token.email, expires_at: token.expiresAt, used_at: null })
    .execute();
}

export async function findVerificationToken(db: Db, hash: Buffer) {
  return db.selectFrom('verification_tokens').selectAll().where('token_hash', '=', hash).forUpdate().executeTakeFirst();
}

export async function markVerificationTokenUsed(db: Db, hash: Buffer, at: Date): Promise<void> {
  await db.updateTable('verification_tokens').set({ used_at: at }).where('token_hash', '=', hash).execute();
}
