import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '@shop/platform';

// bigint columns (counts, bigserial ids) come back as strings by default; these stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Database<DB> = Kysely<DB>;
export type Tx<DB> = Transaction<DB>;

export interface DatabaseOptions {
  url: string;
  logger: Logger;
  poolSize?: number;
}

/** A Kysely instance over a pg pool, creating the database first if it does not exist yet. */
export async function connectDatabase<DB>(options: DatabaseOptions): Promise<Kysely<DB>> {
  await ensureDatabaseExists(options.url, options.logger);
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  pool.on('error', (err) => options.logger.warn('idle database connection failed', { error: err.message }));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Each service owns its database and creates it on first start (ARCHITECTURE.md). */
export async function ensureDatabaseExists(url: string, logger: Logger): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`database name "${name}" must be lower-case letters, digits and underscores`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      logger.info('database created', { database: name });
    } catch (err) {
      // Another replica created it between our check and our CREATE.
      if ((err as { code?: string }).code !== '42P04' && (err as { code?: string }).code !== '23505') throw err;
    }
  } finally {
    await client.end();
  }
}

/** Readiness probe: one round trip. */
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
