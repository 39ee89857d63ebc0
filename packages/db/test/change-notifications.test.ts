import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { connectDatabase, listenForChanges, sql, type Kysely } from '@shop/db';
import type { Stoppable } from '@shop/platform';
import { eventually, testDatabaseUrl, testLogger } from '@shop/testkit';

const logger = testLogger('db-test');

describe('db: change notifications (LISTEN/NOTIFY with a heartbeat)', function () {
  this.timeout(30_000);
  let url: string;
  let db: Kysely<any>;
  let listener: Stoppable | undefined;
  const applicationName = `change listener ${randomUUID().slice(0, 8)}`;
  // What the listener reported: a payload per notification, undefined for a (re)connection.
  let heard: Array<string | undefined>;
  let confirmedAt: number;

  before(async () => {
    url = testDatabaseUrl('db_changes');
    db = await connectDatabase({ url, logger });
    await sql`CREATE TABLE things (id text PRIMARY KEY, name text NOT NULL)`.execute(db);
    await sql`
      CREATE FUNCTION notify_things_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('things_changed', CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END);
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER things_changed AFTER INSERT OR UPDATE OR DELETE ON things FOR EACH ROW EXECUTE FUNCTION notify_things_changed()`.execute(db);
  });
  beforeEach(() => {
    heard = [];
    confirmedAt = Number.NEGATIVE_INFINITY;
    listener = listenForChanges({
      url,
      logger,
      channel: 'things_changed',
      applicationName,
      heartbeatMs: 50,
      now: () => performance.now(),
      onChange: (payload) => heard.push(payload),
      onConfirmed: (at) => (confirmedAt = Math.max(confirmedAt, at)),
    });
  });
  afterEach(async () => {
    await listener?.stop();
  });
  after(() => db.destroy());

  /** Resolves once the listener proved it heard everything committed until now. */
  async function heardUntilNow() {
    const mark = performance.now();
    await eventually(() => confirmedAt > mark, 5_000, 'a confirmation');
  }

  it('when it starts listening, then it reports that anything may have changed (no payload), and confirms again and again', async () => {
    await heardUntilNow();
    expect(heard).to.deep.equal([undefined]);
    const first = confirmedAt;
    await heardUntilNow();
    expect(confirmedAt).to.be.greaterThan(first);
  });

  it('when changes commit, then each is heard with its payload before the next confirmation; a rolled-back change is never heard', async () => {
    await heardUntilNow();
    await sql`INSERT INTO things VALUES ('a', 'one'), ('b', 'two')`.execute(db);
    await db
      .transaction()
      .execute(async (tx) => {
        await sql`UPDATE things SET name = 'three' WHERE id = 'a'`.execute(tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await sql`DELETE FROM things WHERE id = 'b'`.execute(db);
    await heardUntilNow();
    expect(heard).to.deep.equal([undefined, 'a', 'b', 'b']);
  });

  it('when its connection is cut, then it listens again and reports that anything may have changed, and hears later changes', async () => {
    await heardUntilNow();
    const { rows } = await sql<{ cut: boolean }>`SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE application_name = ${applicationName}`.execute(db);
    expect(rows).to.have.length(1);
    await eventually(() => heard.length === 2, 10_000, 'listening again');
    expect(heard).to.deep.equal([undefined, undefined]);
    await sql`INSERT INTO things VALUES ('c', 'after the cut')`.execute(db);
    await heardUntilNow();
    expect(heard).to.deep.equal([undefined, undefined, 'c']);
  });

  it('when it is stopped, then its connection is closed', async () => {
    await heardUntilNow();
    await listener?.stop();
    listener = undefined;
    const { rows } = await sql`SELECT 1 FROM pg_stat_activity WHERE application_name = ${applicationName}`.execute(db);
    expect(rows).to.deep.equal([]);
  });

  it('when the channel is not a plain identifier, then it refuses to start', () => {
    expect(() =>
      listenForChanges({ url, logger, channel: 'x; DROP TABLE things', applicationName, heartbeatMs: 50, now: () => 0, onChange: () => undefined, onConfirmed: () => undefined }),
    ).to.throw(/channel/);
  });
});
