import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { orderPlaced } from '@shop/contracts';
import { connectDatabase, type Kysely } from '@shop/db';
import { eventually, startMailSink, startShopProcess, testDatabaseUrl, testLogger, type ShopProcess } from '@shop/testkit';
import type { NotificationDatabase } from '../src/db/schema';
import { placedOrder, uniqueEmail } from './events';
import { settle, startMailsBacking, startMailWorker, type MailsBacking } from './mails.fixture';

const logger = testLogger('notification-claims-test');

/** An SMTP server that takes connections and never says a word: a send to it hangs. */
async function silentSmtpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('notification worker: claims of mails in hand', function () {
  this.timeout(90_000);
  let backing: MailsBacking;

  before(async () => {
    backing = await startMailsBacking();
  });
  after(() => backing.close());

  it('when a worker is killed while it sends a mail, then a worker started after it sends that mail within half a minute, once', async () => {
    const silent = await silentSmtpServer();
    const sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
    const databaseUrl = testDatabaseUrl('notification_claims');
    const env = { PORT: '0', OPS_PORT: '0', DATABASE_URL: databaseUrl, AMQP_URL: backing.amqpUrl, JWKS_URL: backing.issuer.jwksUrl, MAIL_POLL_INTERVAL_MS: '100' };
    const workers: ShopProcess[] = [];
    let db: Kysely<NotificationDatabase> | undefined;
    try {
      // The first worker's SMTP server never answers: the mail stays in its hands until it dies.
      workers.push(startShopProcess('services/notification/src/main.ts', { ...env, SMTP_PORT: String(silent.port) }));
      await workers[0]!.waitForLog(/notification service started/, 30_000);
      db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
      const email = uniqueEmail('claims');
      const order = placedOrder(email);
      await backing.publish(orderPlaced, order, { type: 'order', id: order.orderId, version: 1 });
      await eventually(async () => (await db!.selectFrom('notifications').select('status').where('recipient', '=', email).executeTakeFirst())?.status === 'sending', 20_000, 'the mail in the first worker’s hands');

      workers[0]!.kill('SIGKILL');
      await workers[0]!.exited;
      const killedAt = Date.now();
      workers.push(startShopProcess('services/notification/src/main.ts', { ...env, SMTP_PORT: String(sink.smtpPort) }));
      await sink.waitForMail((m) => m.to.some((to) => to.address === email), 45_000);
      const waited = Date.now() - killedAt;

      expect(waited, 'ms from the kill to the mail').to.be.below(40_000);
      await settle(1_000);
      expect(sink.messages().filter((m) => m.to.some((to) => to.address === email))).to.have.length(1);
      expect((await db.selectFrom('notifications').select('status').where('recipient', '=', email).executeTakeFirst())?.status).to.equal('sent');
    } finally {
      for (const worker of workers) worker.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await db?.destroy();
      await silent.close();
      await sink.close();
    }
  });

  it('when a worker is killed after the SMTP server took a mail and before recording it, then the copy the next worker sends carries the same Message-ID, made from the mail’s id', async () => {
    const sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
    const databaseUrl = testDatabaseUrl('notification_resend');
    const env = { PORT: '0', OPS_PORT: '0', DATABASE_URL: databaseUrl, AMQP_URL: backing.amqpUrl, JWKS_URL: backing.issuer.jwksUrl, SMTP_PORT: String(sink.smtpPort), MAIL_POLL_INTERVAL_MS: '100', MAIL_CLAIM_LEASE_MS: '2000' };
    const workers: ShopProcess[] = [];
    let db: Kysely<NotificationDatabase> | undefined;
    try {
      // The server keeps the mail, but answers only after the worker is gone.
      sink.delayAcceptance(3_000);
      workers.push(startShopProcess('services/notification/src/main.ts', env));
      await workers[0]!.waitForLog(/notification service started/, 30_000);
      db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
      const email = uniqueEmail('resend');
      const order = placedOrder(email);
      await backing.publish(orderPlaced, order, { type: 'order', id: order.orderId, version: 1 });
      await eventually(async () => (await db!.selectFrom('notifications').select('status').where('recipient', '=', email).executeTakeFirst())?.status === 'sending', 20_000, 'the mail being sent');
      await settle(500);
      workers[0]!.kill('SIGKILL');
      await workers[0]!.exited;
      sink.delayAcceptance(0);
      workers.push(startShopProcess('services/notification/src/main.ts', env));

      const copies = await eventually(() => {
        const found = sink.messages().filter((m) => m.to.some((to) => to.address === email));
        return found.length === 2 && found;
      }, 30_000, 'the copy taken before the kill and the one sent again');
      // The sink has the copy a moment before the worker has recorded the server's answer.
      const row = await eventually(async () => {
        const found = await db!.selectFrom('notifications').select(['id', 'status', 'message_id']).where('recipient', '=', email).executeTakeFirstOrThrow();
        return found.status === 'sent' && found;
      }, 10_000, 'the copy recorded as sent');
      expect(copies.map((m) => m.messageId)).to.deep.equal([`${row.id}@shop.local`, `${row.id}@shop.local`]);
      expect(row.message_id).to.equal(`<${row.id}@shop.local>`);
    } finally {
      sink.delayAcceptance(0);
      for (const worker of workers) worker.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await db?.destroy();
      await sink.close();
    }
  });

  it('when a send takes longer than the claim lease, then the worker keeps its claim and no other replica sends the mail again', async () => {
    const worker = await startMailWorker(backing, { MAIL_CLAIM_LEASE_MS: '1500' }, 2);
    try {
      worker.sink.delayAcceptance(6_000);
      const email = uniqueEmail('slow-send');
      const order = placedOrder(email);
      await backing.publish(orderPlaced, order, { type: 'order', id: order.orderId, version: 1 });
      await worker.mailTo(email, order.orderNumber, 20_000);
      // A second copy from the other replica would come a lease after the first claim, plus the send.
      await settle(4_000);

      expect(worker.mailsTo(email)).to.have.length(1);
      const [row] = await worker.db.selectFrom('notifications').select(['status', 'attempts']).where('recipient', '=', email).execute();
      expect(row).to.deep.equal({ status: 'sent', attempts: 1 });
    } finally {
      worker.sink.delayAcceptance(0);
      await worker.stop();
    }
  });
});
