import { sql, type Kysely } from '@shop/db';
import type { SandboxDatabase } from './schema.js';

type Db = Kysely<SandboxDatabase>;

export interface StoredKey {
  requestHash: string;
  /** Null while the first request with the key is still running. */
  answer: { status: number; body: unknown } | null;
}

/**
 * Takes the key for this request: true when it was free. A concurrent request with the same key
 * waits here until the first one's transaction ends; then the key is either taken (its answer
 * committed) or free again (the first one rolled back).
 */
export async function claimKey(db: Db, route: string, key: string, requestHash: string): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ route, key, request_hash: requestHash })
    .onConflict((oc) => oc.columns(['route', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findKey(db: Db, route: string, key: string): Promise<StoredKey | undefined> {
  const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status', 'body']).where('route', '=', route).where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  return { requestHash: row.request_hash, answer: row.status === null ? null : { status: row.status, body: row.body } };
}

export async function saveAnswer(db: Db, route: string, key: string, status: number, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status, body: JSON.stringify(body) })
    .where('route', '=', route)
    .where('key', '=', key)
    .execute();
}

/** Forgets keys older than the retention: a client retries within minutes, not days. */
export async function pruneKeys(db: Db, olderThanHours: number): Promise<number> {
  const result = await sql`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => ${olderThanHours * 3600}::double precision)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
