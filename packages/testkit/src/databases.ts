import pg from 'pg';
import { POSTGRES_URL, runId } from './run.js';

const created: string[] = [];
let counter = 0;

/** A URL for a database of this run alone; the service under test creates it on start. */
export function testDatabaseUrl(service: string): string {
  counter += 1;
  const name = `t_${runId}_${service}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  created.push(name);
  return `${POSTGRES_URL}/${name}`;
}

/** Drops every database this run created. */
export async function dropTestDatabases(): Promise<void> {
  if (created.length === 0) return;
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    for (const name of created.splice(0)) {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
