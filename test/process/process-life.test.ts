import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import { customerRegistered, productCreated, routingKeyOf, type EventContract } from '@shop/contracts';
import { buildEnvelope, connectDatabase, type Kysely } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import {
  eventually,
  startMailSink,
  startPostgresProxy,
  startShopProcess,
  startTokenIssuer,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type MailSink,
  type ShopProcess,
  type TokenIssuer,
} from '@shop/testkit';

const logger = testLogger('process-test');

/** The URLs a process logged once it started serving. */
async function started(process: ShopProcess, message: RegExp): Promise<{ url: string; opsUrl: string }> {
  const line = await process.waitForLog(message, 30_000);
  return { url: String(line.url), opsUrl: String(line.opsUrl) };
}

/** A GET on a keep-alive agent: what the gateway does to every service. */
function keepAliveRequest(agent: http.Agent, url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    const req = http.request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const statusOf = async (url: string) => (await fetch(url).catch(() => undefined))?.status;

describe('process life: start, drain on SIGTERM, PostgreSQL dropping connections', function () {
  this.timeout(60_000);
  let amqpUrl: string;
  let broker: Broker;
  let issuer: TokenIssuer;
  const processes: ShopProcess[] = [];

  before(async () => {
    amqpUrl = await testAmqpUrl();
    broker = connectBroker({ url: amqpUrl, name: 'process-test', logger });
    await eventually(() => broker.isConnected(), 10_000, 'broker connection');
    issuer = await startTokenIssuer();
  });
  after(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await broker.close();
    await issuer.close();
  });

  function start(entry: string, env: Record<string, string>): ShopProcess {
    const child = startShopProcess(entry, { PORT: '0', AMQP_URL: amqpUrl, SHUTDOWN_TIMEOUT_MS: '10000', ...env });
    processes.push(child);
    return child;
  }

  async function publish<D>(contract: EventContract<D>, data: D, aggregate: { type: string; id: string }) {
    const envelope = buildEnvelope('test', contract, data, { ...aggregate, version: 1 });
    await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  }

  /** An inventory service process and one variant it keeps stock for. */
  async function inventoryWithStock(databaseUrl: string, env: Record<string, string> = {}) {
    const child = start('services/inventory/src/main.ts', { DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...env });
    const urls = await started(child, /inventory service started/);
    const productId = randomUUID();
    const variantId = randomUUID();
    await publish(
      productCreated,
      {
        productId,
        name: 'Kettle',
        description: 'A kettle',
        price: { amount: 3000, currency: 'USD' },
        categoryId: randomUUID(),
        status: 'active',
        variants: [{ variantId, sku: `K-${productId.slice(0, 6)}`, name: 'Default', price: { amount: 3000, currency: 'USD' } }],
        initialStock: 10,
        createdBy: randomUUID(),
        createdAt: new Date().toISOString(),
      },
      { type: 'product', id: productId },
    );
    const token = await issuer.token({ role: 'admin' });
    await eventually(async () => (await fetch(`${urls.url}/admin/inventory/${variantId}`, { headers: { authorization: `Bearer ${token}` } })).status === 200, 15_000, 'the stock row');
    return { child, ...urls, variantId, token };
  }

  describe('a service', () => {
    it('when SIGTERM comes with a keep-alive request in flight, then readiness is 503 at once, the request finishes with Connection: close, and the process exits 0 well within its grace period', async () => {
      const databaseUrl = testDatabaseUrl('proc_inventory');
      const { child, url, opsUrl, variantId, token } = await inventoryWithStock(databaseUrl);
      const agent = new http.Agent({ keepAlive: true });
      const locker = new pg.Client({ connectionString: databaseUrl });
      await locker.connect();
      try {
        // An idle keep-alive connection, as the gateway keeps them.
        expect((await keepAliveRequest(agent, `${url}/health/live`)).connection).to.equal('keep-alive');
        // Hold the stock row, so the admin change below waits in flight.
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM stock_items WHERE variant_id = $1 FOR UPDATE', [variantId]);
        const inFlight = keepAliveRequest(agent, `${url}/admin/inventory/${variantId}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ quantity: 12, reason: 'count' }),
        });
        await new Promise((resolve) => setTimeout(resolve, 300));

        const stopAt = Date.now();
        child.kill('SIGTERM');
        await eventually(async () => (await statusOf(`${opsUrl}/health/ready`)) === 503, 2_000, 'readiness 503');
        await locker.query('COMMIT');

        const answer = await inFlight;
        expect(answer.status).to.equal(200);
        expect(JSON.parse(answer.body)).to.include({ onHand: 12 });
        expect(answer.connection).to.equal('close');
        const exit = await child.exited;
        expect(exit.code).to.equal(0);
        expect(Date.now() - stopAt).to.be.below(5_000);
        expect(child.logs().some((l) => l.message === 'stopped')).to.equal(true);
      } finally {
        agent.destroy();
        await locker.end();
      }
    });

    it('when PostgreSQL is not reachable at start, then the process waits (live, not ready, routes 503) instead of exiting, and serves once it is back', async () => {
      const databaseUrl = testDatabaseUrl('proc_late_pg');
      const proxy = await startPostgresProxy(databaseUrl);
      try {
        proxy.cut();
        const child = start('services/inventory/src/main.ts', { DATABASE_URL: proxy.via(databaseUrl), JWKS_URL: issuer.jwksUrl });
        const line = await child.waitForLog('database unreachable, waiting', 30_000);
        expect(line.level).to.equal('warn');
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect(child.child.exitCode, 'still running').to.equal(null);
        proxy.restore();
        const { url, opsUrl } = await started(child, /inventory service started/);
        expect(await statusOf(`${opsUrl}/health/ready`)).to.equal(200);
        expect(await statusOf(`${url}/admin/inventory/${randomUUID()}`)).to.equal(401);
        child.kill('SIGTERM');
        expect((await child.exited).code).to.equal(0);
      } finally {
        await proxy.close();
      }
    });

    it('when PostgreSQL drops the connection of a plain query, of a transaction and of idle clients, then those requests fail with 503, the process stays up, and it serves again once PostgreSQL is back', async () => {
      const databaseUrl = testDatabaseUrl('proc_cuts');
      const proxy = await startPostgresProxy(databaseUrl);
      const locker = new pg.Client({ connectionString: databaseUrl });
      try {
        const { child, url, variantId, token } = await inventoryWithStock(proxy.via(databaseUrl), { DATABASE_URL: proxy.via(databaseUrl) });
        await locker.connect();
        const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

        // A plain pooled query waiting on a table lock, and a reservation's transaction waiting on a row lock.
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE stock_items IN ACCESS EXCLUSIVE MODE');
        const plainQuery = fetch(`${url}/admin/inventory/${variantId}`, { headers: auth });
        const transaction = fetch(`${url}/internal/reservations`, { method: 'POST', headers: auth, body: JSON.stringify({ orderId: randomUUID(), lines: [{ variantId, quantity: 1 }] }) });
        await new Promise((resolve) => setTimeout(resolve, 500));
        proxy.cut();
        expect((await plainQuery).status).to.equal(503);
        expect((await transaction).status).to.equal(503);
        await locker.query('ROLLBACK');
        expect((await fetch(`${url}/admin/inventory/${variantId}`, { headers: auth })).status, 'while PostgreSQL is away').to.equal(503);

        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(child.child.exitCode, 'the process is still up').to.equal(null);
        proxy.restore();
        await eventually(async () => (await fetch(`${url}/admin/inventory/${variantId}`, { headers: auth })).status === 200, 10_000, 'serving again');
        const reserved = await fetch(`${url}/internal/reservations`, { method: 'POST', headers: auth, body: JSON.stringify({ orderId: randomUUID(), lines: [{ variantId, quantity: 1 }] }) });
        expect(reserved.status).to.equal(201);
        child.kill('SIGTERM');
        expect((await child.exited).code).to.equal(0);
      } finally {
        await locker.end().catch(() => undefined);
        await proxy.close();
      }
    });
  });

  describe('the notification worker', () => {
    let sink: MailSink;
    before(async () => {
      sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
    });
    after(() => sink.close());

    it('when SIGTERM comes while a mail is being sent, then the send finishes and is recorded once, readiness is 503 at once, and the worker exits 0', async () => {
      const databaseUrl = testDatabaseUrl('proc_notification');
      const child = start('services/notification/src/main.ts', { DATABASE_URL: databaseUrl, SMTP_PORT: String(sink.smtpPort), MAIL_POLL_INTERVAL_MS: '100' });
      const { opsUrl } = await started(child, /notification service started/);
      const db: Kysely<any> = await connectDatabase({ url: databaseUrl, logger });
      try {
        sink.delayAcceptance(1_500);
        const email = `drain-${randomUUID().slice(0, 8)}@example.test`;
        const customerId = randomUUID();
        await publish(
          customerRegistered,
          {
            customerId,
            email,
            firstName: 'Dora',
            lastName: 'Drain',
            verificationUrl: 'https://shop.example/verify-email?token=t',
            verificationToken: 't',
            verificationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
            registeredAt: new Date().toISOString(),
          },
          { type: 'customer', id: customerId },
        );
        await eventually(async () => (await db.selectFrom('notifications').select('status').where('recipient', '=', email).executeTakeFirst())?.status === 'sending', 10_000, 'the mail being sent');

        const stopAt = Date.now();
        child.kill('SIGTERM');
        await eventually(async () => (await statusOf(`${opsUrl}/health/ready`)) === 503, 2_000, 'readiness 503');
        const exit = await child.exited;
        expect(exit.code).to.equal(0);
        expect(Date.now() - stopAt).to.be.below(6_000);
        expect(sink.messages().filter((m) => m.to.some((to) => to.address === email))).to.have.length(1);
        expect((await db.selectFrom('notifications').select('status').where('recipient', '=', email).executeTakeFirst())?.status).to.equal('sent');
      } finally {
        sink.delayAcceptance(0);
        await db.destroy();
      }
    });
  });

  describe('the gateway', () => {
    it('when SIGTERM comes with a keep-alive request in flight to a slow service, then it finishes with Connection: close and the gateway exits 0', async () => {
      const upstream = http.createServer((req, res) => {
        if (req.url?.startsWith('/internal/sessions/invalidations')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
          return;
        }
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"slow":true}'), 800);
      });
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      const agent = new http.Agent({ keepAlive: true });
      try {
        const child = start('gateway/src/main.ts', { CUSTOMER_SERVICE_URL: upstreamUrl, JWKS_URL: issuer.jwksUrl });
        const { url, opsUrl } = await started(child, /gateway listening/);
        expect((await keepAliveRequest(agent, `${url}/health/live`)).connection).to.equal('keep-alive');
        const inFlight = keepAliveRequest(agent, `${url}/api/v1/customers/me`);
        await new Promise((resolve) => setTimeout(resolve, 200));

        const stopAt = Date.now();
        child.kill('SIGTERM');
        await eventually(async () => (await statusOf(`${opsUrl}/health/ready`)) === 503, 2_000, 'readiness 503');
        const answer = await inFlight;
        expect(answer.status).to.equal(200);
        expect(JSON.parse(answer.body)).to.deep.equal({ slow: true });
        expect(answer.connection).to.equal('close');
        expect((await child.exited).code).to.equal(0);
        expect(Date.now() - stopAt).to.be.below(5_000);
      } finally {
        agent.destroy();
        upstream.closeAllConnections();
        await new Promise((resolve) => upstream.close(resolve));
      }
    });
  });
});
