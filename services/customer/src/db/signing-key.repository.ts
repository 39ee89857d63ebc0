import { sql, type Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

export interface StoredKey {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

// Replicas starting together must agree on one key: the first creates it, the others read it.
const KEY_LOCK = 727_274_101;

/** Every stored key, newest first; creates the first one with `create` when there is none. */
export async function loadOrCreateKeys(db: Db, create: () => Promise<StoredKey>): Promise<StoredKey[]> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${KEY_LOCK})`.execute(tx);
    const rows = await tx.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
    if (rows.length > 0) return rows.map((r) => ({ kid: r.kid, privateJwk: r.private_jwk, publicJwk: r.public_jwk }));
    const key = await create();
    await tx
      .insertInto('signing_keys')
      .values({ kid: key.kid, private_jwk: JSON.stringify(key.privateJwk) as never, public_jwk: JSON.stringify(key.publicJwk) as never })
      .execute();
    return [key];
  });
}
