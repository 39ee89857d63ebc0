import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { backoffDelay, sleep, type Logger } from '@shop/platform';
import { isUniqueViolation } from './queries.js';

// bigint columns (counts, bigserial ids) come back as strings by default; these stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Database<DB> = Kysely<DB>;
export type Tx<DB> = Transaction<DB>;

export interface DatabaseOptions {
  url: string;
  logger: Logger;
  poolSize?: number;
  /** PostgreSQL cancels a statement running longer than this; 0 never. */
  statementTimeoutMs?: number;
}

/**
 * A Kysely instance over a pg pool, without touching the network yet. Every connection has an
 * error listener for its whole life: pg emits 'error' on a connection PostgreSQL drops, also while
 * a query is using it, and an unheard 'error' would end the process. The failed query rejects;
 * the pool discards the broken connection and opens a new one when asked.
 */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  const { logger } = options;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    // A transaction left open by a hung client must not hold its locks for ever.
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn('database connection failed', { error: err.message }));
  });
  pool.on('error', (err) => logger.warn('idle database connection failed', { error: err.message }));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Creates the database if needed, then a Kysely instance over it (tests and scripts; services use `waitForDatabase`). */
export async function connectDatabase<DB>(options: DatabaseOptions): Promise<Kysely<DB>> {
  await ensureDatabaseExists(options.url, options.logger);
  return createDatabase<DB>(options);
}

/**
 * Waits until PostgreSQL answers, creating the service's database on the way, retrying with capped
 * backoff for as long as it takes (a service started before its database waits instead of
 * crash-looping). Rejects only when `signal` aborts.
 */
export async function waitForDatabase(url: string, logger: Logger, signal?: AbortSignal): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await ensureDatabaseExists(url, logger);
      if (attempt > 0) logger.info('database reachable');
      return;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const delay = backoffDelay(attempt, 250, 10_000);
      if (attempt === 0 || delay === 10_000) logger.warn('database unreachable, waiting', { error: describe(err), retryInMs: delay });
      await sleep(delay);
      if (signal?.aborted) throw signal.reason;
    }
  }
}

/**
 * Each service owns its database and creates it on first start (ARCHITECTURE.md). The database
 * itself is tried first: a role that owns only its database, without CREATEDB and without access
 * to any other (docker-compose and Kubernetes run the services so), starts once an operator has
 * created it. Only a missing database sends the role to the `postgres` database to create it.
 */
export async function ensureDatabaseExists(url: string, logger: Logger): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`database name "${name}" must be lower-case letters, digits and underscores`);
  if (await databaseExists(url)) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  const role = target.username ? `role "${decodeURIComponent(target.username)}"` : 'the connecting role';
  try {
    await client.connect();
  } catch (err) {
    if (!(err instanceof pg.DatabaseError)) throw err;
    throw new Error(`database "${name}" does not exist, and ${role} cannot open the postgres database to create it (${describe(err)}): create the database for it`, { cause: err });
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      logger.info('database created', { database: name });
    } catch (err) {
      // Another replica created it between our check and our CREATE.
      if ((err as { code?: string }).code === '42P04' || isUniqueViolation(err)) return;
      if ((err as { code?: string }).code === INSUFFICIENT_PRIVILEGE) {
        throw new Error(`database "${name}" does not exist, and ${role} may not create databases: create it for the role, or grant it CREATEDB`, { cause: err });
      }
      throw err;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

const INVALID_CATALOG_NAME = '3D000';
const INSUFFICIENT_PRIVILEGE = '42501';

/** Whether the database at `url` accepts a session; false only when PostgreSQL says it does not exist. */
async function databaseExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === INVALID_CATALOG_NAME) return false;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Readiness probe: one round trip. */
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

function describe(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(String).join('; ');
  return err instanceof Error ? err.message || err.name : String(err);
}
