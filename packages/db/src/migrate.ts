import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { sleep, type Logger } from '@shop/platform';

/** A directory of numbered SQL files; the scope keeps names of different directories apart. */
export interface MigrationSource {
  scope: string;
  directory: string;
}

/** The outbox and inbox tables every service has, applied before the service's own migrations. */
export const platformMigrations: MigrationSource = {
  scope: 'platform',
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};

// Any constant works; it only has to be the same for every replica of every service.
const MIGRATION_LOCK = 727_274_001;

export interface MigrateOptions {
  /** How long to wait for another replica's migrations before giving up. */
  lockTimeoutMs?: number;
}

/**
 * Applies numbered SQL files (`0001_name.sql`, ...) from each source in order, each file in its
 * own transaction, skipping those already recorded. A session advisory lock makes replicas that
 * start together take turns instead of colliding; waiting for it has a limit, and a failure keeps
 * its own error (an unlock on a broken connection never replaces it).
 */
export async function migrate(db: Kysely<any>, sources: MigrationSource[], logger: Logger, options: MigrateOptions = {}): Promise<string[]> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  return db.connection().execute(async (conn) => {
    await acquireLock(conn, lockTimeoutMs);
    let failure: unknown;
    try {
      return await applyPending(conn, sources, logger);
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn).catch((unlockError: unknown) => {
        // The session's lock dies with its connection; only an unlock failure on its own is news.
        if (!failure) throw unlockError;
      });
    }
  });
}

async function acquireLock(conn: Kysely<any>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${MIGRATION_LOCK}) AS locked`.execute(conn);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) throw new Error(`migrations: another instance held the migration lock for more than ${timeoutMs} ms`);
    await sleep(Math.min(250, Math.max(10, deadline - Date.now())));
  }
}

async function applyPending(conn: Kysely<any>, sources: MigrationSource[], logger: Logger): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
  const done = new Set((await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(conn)).rows.map((r) => r.name));
  const applied: string[] = [];
  for (const { scope, directory } of sources) {
    const files = (await readdir(directory)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
    for (const file of files) {
      const name = `${scope}/${file}`;
      if (done.has(name)) continue;
      const text = await readFile(path.join(directory, file), 'utf8');
      await conn.transaction().execute(async (tx) => {
        // Building an index on a large table may take longer than any request should.
        await sql`SET LOCAL statement_timeout = 0`.execute(tx);
        await sql.raw(text).execute(tx);
        await sql`INSERT INTO schema_migrations (name) VALUES (${name})`.execute(tx);
      });
      logger.info('migration applied', { migration: name });
      applied.push(name);
    }
  }
  return applied;
}
