import type { Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema';

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
    .select(['t.token_hash', 't.used_at', 's.id as sessionId', 's.expires_at', 's.revoked_at', 's.customer_id as customerId', 'c.status', 'c.role'])
    .where('t.token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

export async function rotateRefreshToken(db: Db, sessionId: string, usedHash: Buffer, nextHash: Buffer, at: Date): Promise<void> {
  await db.updateTable('refresh_tokens').set({ used_at: at }).where('token_hash', '=', usedHash).execute();
  await db.insertInto('refresh_tokens').values({ token_hash: nextHash, session_id: sessionId, used_at: null }).execute();
}

export async function revokeSession(db: Db, sessionId: string, reason: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Revokes every live session of a customer, optionally sparing one (the caller's own). */
export async function revokeCustomerSessions(db: Db, customerId: string, reason: string, at: Date, except?: string): Promise<void> {
  let query = db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('customer_id', '=', customerId).where('revoked_at', 'is', null);
  if (except) query = query.where('id', '!=', except);
  await query.execute();
}

export async function listSessionInvalidations(db: Db, since: Date) {
  return db
    .selectFrom('customers')
    .select(['id', 'tokens_not_before'])
    .where('tokens_not_before', '>=', since)
    .orderBy('tokens_not_before')
    .execute();
}
