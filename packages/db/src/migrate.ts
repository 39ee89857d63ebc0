import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '@shop/platform';

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

/**
 * Applies numbered SQL files (`0001_name.sql`, ...) from each source in order, each file in its
 * own transaction, skipping those already recorded. A session advisory lock makes replicas that
 * start together take turns instead of colliding.
 */
export async function migrate(db: Kysely<any>, sources: MigrationSource[], logger: Logger): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
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
            await sql.raw(text).execute(tx);
            await sql`INSERT INTO schema_migrations (name) VALUES (${name})`.execute(tx);
          });
          logger.info('migration applied', { migration: name });
          applied.push(name);
        }
      }
      return applied;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
