import type { Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

export async function insertSession(db: Db, session: { id: string; customerId: string; expiresAt: Date; refreshTokenHash: Buffer }): Promise<void> {
  await db.insertInto('sessions').values({ id: session.id, customer_id: session.customerId, expires_at: session.expiresAt, revoked_at: null, revoked_reason: null }).execute();
  await db.insertInto('refresh_tokens').values({ token_hash: session.refreshTokenHash, session_id: session.id, used_at: null }).execute();
}

/** The refresh token with its session and customer, locked so two refreshes of one token serialize. */
export async function findRefreshToken(db: Db, hash: Buffer) {
  return db
    .selectFrom('refresh_tokens as t')
    .innerJoin('sessions as s', 's.id', 't.session_id')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['t.token_hash', 't.used_at', 't.successor', 's.id as sessionId', 's.expires_at', 's.revoked_at', 's.customer_id as customerId', 'c.status', 'c.role', 'c.version'])
    .where('t.token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks the presented token used, keeping the encrypted pair that replaced it, and stores the new token. */
export async function rotateRefreshToken(db: Db, sessionId: string, used: { hash: Buffer; successor: Buffer }, nextHash: Buffer, at: Date): Promise<void> {
  await db.updateTable('refresh_tokens').set({ used_at: at, successor: used.successor }).where('token_hash', '=', used.hash).execute();
  await db.insertInto('refresh_tokens').values({ token_hash: nextHash, session_id: sessionId, used_at: null }).execute();
}

/** Ends one session; false when it had ended already. */
export async function revokeSession(db: Db, sessionId: string, reason: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every live session of a customer, optionally sparing one (the caller's own); the ids of those ended. */
export async function revokeCustomerSessions(db: Db, customerId: string, reason: string, at: Date, except?: string): Promise<string[]> {
  let query = db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('customer_id', '=', customerId).where('revoked_at', 'is', null);
  if (except) query = query.where('id', '!=', except);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Customers whose every session was invalidated since `since`, with the instant. */
export async function listCustomerInvalidations(db: Db, since: Date) {
  return db
    .selectFrom('customers')
    .select(['id', 'tokens_not_before'])
    .where('tokens_not_before', '>=', since)
    .orderBy('tokens_not_before')
    .execute();
}

/** Sessions ended since `since` (logout, password change, a stolen refresh token, suspension). */
export async function listRevokedSessions(db: Db, since: Date) {
  return db.selectFrom('sessions').select(['id', 'customer_id', 'revoked_at']).where('revoked_at', '>=', since).orderBy('revoked_at').execute();
}
