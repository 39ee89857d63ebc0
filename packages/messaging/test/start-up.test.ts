import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import Joi from 'joi';
import { ensureDatabaseExists } from '@shop/db';
import { backboneConfigKeys, commonConfigKeys, loadConfig, opsPort } from '@shop/platform';
import { pipeTo, POSTGRES_URL, testAmqpUrl, testDatabaseUrl, testLogger } from '@shop/testkit';
import { startService, type ServiceHostConfig } from '../src/index';

const logger = testLogger('start-up-test');

/** A line to PostgreSQL that lets the first connection through, drops the next `drops` at once (PostgreSQL restarting), then lets every one through. */
async function blinkingLine(drops: number): Promise<{ url(databaseUrl: string): string; dropped(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let dropped = 0;
  const target = Number(new URL(POSTGRES_URL).port || 5432);
  const server = net.createServer((client) => {
    connections += 1;
    if (connections > 1 && dropped < drops) {
      dropped += 1;
      client.destroy();
      return;
    }
    pipeTo(client, '127.0.0.1', target, sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url(databaseUrl) {
      const proxied = new URL(databaseUrl);
      proxied.port = String((server.address() as AddressInfo).port);
      return proxied.toString();
    },
    dropped: () => dropped,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('startService: PostgreSQL blinking during start-up', function () {
  this.timeout(30_000);

  it('when the connections drop right after the database was found, while migrating, then the service waits and starts once they hold, instead of ending its start', async () => {
    const databaseUrl = testDatabaseUrl('start_blink');
    // The database exists: the first connection only finds it, the migration's are the ones dropped.
    await ensureDatabaseExists(databaseUrl, logger);
    const line = await blinkingLine(2);
    const migrations = await mkdtemp(path.join(os.tmpdir(), 'start-blink-'));
    await writeFile(path.join(migrations, '0001_things.sql'), 'CREATE TABLE things (id integer PRIMARY KEY);');
    const schema = Joi.object<ServiceHostConfig>({ ...commonConfigKeys, PORT: Joi.number().port().default(0), OPS_PORT: opsPort(0), ...backboneConfigKeys(databaseUrl) });
    const config = loadConfig(schema, { PORT: '0', OPS_PORT: '0', DATABASE_URL: line.url(databaseUrl), AMQP_URL: await testAmqpUrl() });
    try {
      const service = await startService({ name: 'start-blink', config, migrations: { scope: 'start-blink', directory: migrations }, logger, build: () => ({}) });
      try {
        expect(line.dropped(), 'connections dropped').to.equal(2);
        expect((await fetch(`${service.opsUrl}/health/live`)).status).to.equal(200);
        const ready = await fetch(`${service.url}/no-such-route`);
        expect(ready.status, 'routes open').to.equal(404);
      } finally {
        await service.stop();
      }
    } finally {
      await line.close();
      await rm(migrations, { recursive: true, force: true });
    }
  });
});
