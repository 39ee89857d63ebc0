import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { connectDatabase, ensureDatabaseExists, migrate, sql, waitForDatabase, type Kysely } from '@shop/db';
import { eventually, POSTGRES_URL, runId, startPostgresProxy, testDatabaseUrl, testLogger, type TcpProxy } from '@shop/testkit';

const logger = testLogger('db-test');

describe('db: connections PostgreSQL drops, and migrations', function () {
  this.timeout(30_000);

  describe('when PostgreSQL drops connections (a TCP proxy cut in front of it)', () => {
    let proxy: TcpProxy;
    let db: Kysely<any>;
    let url: string;
    before(async () => {
      url = testDatabaseUrl('db_cuts');
      proxy = await startPostgresProxy(url);
      db = await connectDatabase({ url: proxy.via(url), logger });
      await sql`CREATE TABLE IF NOT EXISTS things (id int PRIMARY KEY)`.execute(db);
    });
    after(async () => {
      await db.destroy();
      await proxy.close();
    });

    // An unheard 'error' on a pg client would end this process (and the run) right here.
    for (const [what, work] of [
      ['a plain pooled query', (d: Kysely<any>) => sql`SELECT pg_sleep(5)`.execute(d)],
      ['a query inside a transaction', (d: Kysely<any>) => d.transaction().execute(async (tx) => {
        await sql`INSERT INTO things (id) VALUES (${Math.floor(Math.random() * 1e9)})`.execute(tx);
        await sql`SELECT pg_sleep(5)`.execute(tx);
      })],
    ] as const) {
      it(`when the connection is cut during ${what}, then the query fails, the process goes on, and queries work again once PostgreSQL is back`, async () => {
        const running = work(db).then(
          () => undefined,
          (err: unknown) => err,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        proxy.cut();
        const failure = await running;
        expect(failure).to.be.instanceOf(Error);
        proxy.restore();
        const { rows } = await eventually(() => sql<{ ok: number }>`SELECT 1 AS ok`.execute(db), 5_000, 'a query after the cut');
        expect(rows[0]?.ok).to.equal(1);
      });
    }

    it('when idle pooled connections are cut, then the next query gets a fresh connection', async () => {
      await Promise.all([1, 2, 3].map(() => sql`SELECT 1`.execute(db)));
      proxy.cut();
      proxy.restore();
      const { rows } = await eventually(() => sql<{ ok: number }>`SELECT 1 AS ok`.execute(db), 5_000, 'a query');
      expect(rows[0]?.ok).to.equal(1);
    });

    it('when PostgreSQL is unreachable at start, then waitForDatabase waits with backoff and returns once it answers', async () => {
      proxy.cut();
      const started = Date.now();
      let done = false;
      const waiting = waitForDatabase(proxy.via(testDatabaseUrl('db_wait')), logger).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(done, 'still waiting while PostgreSQL is away').to.equal(false);
      proxy.restore();
      await waiting;
      expect(Date.now() - started).to.be.above(1_000);
    });

    it('when a wait for PostgreSQL is aborted (a SIGTERM during start-up), then it rejects', async () => {
      proxy.cut();
      const abort = new AbortController();
      const waiting = waitForDatabase(proxy.via(url), logger, abort.signal).then(
        () => 'resolved',
        () => 'rejected',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort(new Error('stopping'));
      expect(await waiting).to.equal('rejected');
      proxy.restore();
    });
  });

  // docker-compose and Kubernetes give each service a role that owns its database, may not create
  // databases and cannot open any other database (the postgres one included).
  describe('ensureDatabaseExists with a role of its own', () => {
    const owner = `t_${runId}_db_owner`;
    const bystander = `t_${runId}_db_bystander`;
    let admin: pg.Client;
    const created: string[] = [];

    /** The URL of a test database as `role` connects to it. */
    function as(role: string, url: string): string {
      const withRole = new URL(url);
      withRole.username = role;
      withRole.password = 'secret';
      return withRole.toString();
    }

    before(async () => {
      admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
      await admin.connect();
      for (const role of [owner, bystander]) await admin.query(`CREATE ROLE "${role}" LOGIN NOCREATEDB PASSWORD 'secret'`);
      // The owner cannot open a session in the postgres database, as if CONNECT were revoked there
      // (revoking it from PUBLIC would change the shared server for everyone): a library that does
      // not exist, loaded into this role's sessions in that database alone, ends each of them.
      await admin.query(`ALTER ROLE "${owner}" IN DATABASE postgres SET session_preload_libraries = 'shop_test_no_such_library'`);
    });
    after(async () => {
      for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`ALTER ROLE "${owner}" IN DATABASE postgres RESET ALL`);
      for (const role of [owner, bystander]) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    });

    it('when its database exists, then it succeeds without CREATEDB or the postgres database, and migrations run as the role', async () => {
      const url = testDatabaseUrl('db_owned');
      const name = new URL(url).pathname.slice(1);
      await admin.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
      created.push(name);
      await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${name}" FROM PUBLIC`);

      await ensureDatabaseExists(as(owner, url), logger);
      const db = await connectDatabase<any>({ url: as(owner, url), logger });
      try {
        const directory = await mkdtemp(path.join(os.tmpdir(), 'shop-migrations-'));
        await writeFile(path.join(directory, '0001_a.sql'), 'CREATE TABLE a (id int);');
        expect(await migrate(db, [{ scope: 'test', directory }], logger)).to.deep.equal(['test/0001_a.sql']);
      } finally {
        await db.destroy();
      }
    });

    it('when its database is missing and the role cannot open the postgres database, then it fails saying the database must be created for it', async () => {
      const url = as(owner, testDatabaseUrl('db_missing'));
      let failure: unknown;
      await ensureDatabaseExists(url, logger).catch((err: unknown) => (failure = err));
      expect(String(failure)).to.match(/does not exist, and role "t_\w+_db_owner" cannot open the postgres database to create it/);
    });

    it('when its database is missing and the role may not create databases, then it fails saying so', async () => {
      const url = testDatabaseUrl('db_not_allowed');
      let failure: unknown;
      await ensureDatabaseExists(as(bystander, url), logger).catch((err: unknown) => (failure = err));
      expect(String(failure)).to.match(/does not exist, and role "t_\w+_db_bystander" may not create databases/);
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [new URL(url).pathname.slice(1)]);
      expect(rowCount).to.equal(0);
    });

    it("when another role's database exists, then the role cannot reach it", async () => {
      const url = testDatabaseUrl('db_others');
      const name = new URL(url).pathname.slice(1);
      await admin.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
      created.push(name);
      await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${name}" FROM PUBLIC`);
      let failure: unknown;
      await ensureDatabaseExists(as(bystander, url), logger).catch((err: unknown) => (failure = err));
      expect(String(failure)).to.match(/permission denied for database/);
    });
  });

  describe('migrate', () => {
    async function migrations(files: Record<string, string>) {
      const directory = await mkdtemp(path.join(os.tmpdir(), 'shop-migrations-'));
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(directory, name), text);
      return { scope: 'test', directory };
    }

    it('when the files are new, then each is applied once and recorded; applying again changes nothing', async () => {
      const db = await connectDatabase<any>({ url: testDatabaseUrl('db_migrate'), logger });
      try {
        const source = await migrations({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);' });
        expect(await migrate(db, [source], logger)).to.deep.equal(['test/0001_a.sql', 'test/0002_b.sql']);
        expect(await migrate(db, [source], logger)).to.deep.equal([]);
      } finally {
        await db.destroy();
      }
    });

    it('when another instance holds the migration lock too long, then migrate gives up after its timeout instead of waiting for ever', async () => {
      const url = testDatabaseUrl('db_locked');
      const db = await connectDatabase<any>({ url, logger });
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(727274001)');
        const started = Date.now();
        let failure: unknown;
        await migrate(db, [await migrations({ '0001_a.sql': 'SELECT 1;' })], logger, { lockTimeoutMs: 400 }).catch((err) => (failure = err));
        expect(String(failure)).to.match(/migration lock/);
        expect(Date.now() - started).to.be.within(350, 3_000);
        await holder.query('SELECT pg_advisory_unlock(727274001)');
        expect(await migrate(db, [await migrations({ '0001_a.sql': 'SELECT 1;' })], logger, { lockTimeoutMs: 400 })).to.have.length(1);
      } finally {
        await holder.end();
        await db.destroy();
      }
    });

    it('when a migration fails and its connection dies with it, then the first error is the one thrown, not the unlock that followed', async () => {
      const db = await connectDatabase<any>({ url: testDatabaseUrl('db_dying'), logger });
      try {
        const source = await migrations({ '0001_dies.sql': 'SELECT pg_terminate_backend(pg_backend_pid());' });
        let failure: unknown;
        await migrate(db, [source], logger).catch((err) => (failure = err));
        expect(String(failure)).to.match(/terminat/i);
        expect(String(failure)).to.not.match(/unlock|not queryable|closed/i);
      } finally {
        await db.destroy();
      }
    });
  });
});
