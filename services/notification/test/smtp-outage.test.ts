import { expect } from 'chai';
import { orderPlaced, routingKeyOf } from '@shop/contracts';
import { buildEnvelope, connectDatabase, sql, type Kysely } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { eventually, freePort, startMailSink, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type EventTap, type MailSink } from '@shop/testkit';
import { loadNotificationConfig } from '../src/config';
import type { NotificationDatabase } from '../src/db/schema';
import { startNotificationService, type NotificationService } from '../src/service';
import { placedOrder, uniqueEmail } from './events';

const logger = testLogger('notification-outage-test');
/** How long the SMTP server is away: two minutes, as a real outage; shorter only for a quick local look. */
const OUTAGE_MS = Number(process.env.SMTP_OUTAGE_MS ?? 120_000);

describe('notification worker: the SMTP server down for two minutes under a stream of orders', function () {
  this.timeout(OUTAGE_MS + 240_000);
  let publisher: Broker;
  let tap: EventTap;
  let service: NotificationService;
  let db: Kysely<NotificationDatabase>;
  let smtpPort: number;
  const sinks: MailSink[] = [];

  before(async () => {
    const amqpUrl = await testAmqpUrl();
    publisher = connectBroker({ url: amqpUrl, name: 'notification-outage-publisher', logger });
    await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
    tap = await tapEvents(amqpUrl, ['notification.#']);
    smtpPort = await freePort();
    sinks.push(await startMailSink({ smtpPort, httpPort: 0 }));
    const databaseUrl = testDatabaseUrl('notification_outage');
    service = await startNotificationService(
      loadNotificationConfig({ PORT: '0', DATABASE_URL: databaseUrl, AMQP_URL: amqpUrl, SMTP_PORT: String(smtpPort), MAIL_POLL_INTERVAL_MS: '200', SMTP_PROBE_INTERVAL_MS: '1000' }),
      logger,
    );
    db = await connectDatabase<NotificationDatabase>({ url: databaseUrl, logger });
  });

  after(async () => {
    await service?.stop();
    await db?.destroy();
    await tap?.close();
    await publisher?.close();
    for (const sink of sinks) await sink.close().catch(() => undefined);
  });

  it('when it is back, every order confirmation goes out exactly once: none lost, none doubled, none failed', async () => {
    const sent: { email: string; eventId: string }[] = [];
    const publishOrder = async () => {
      const email = uniqueEmail('outage');
      const data = placedOrder(email);
      const envelope = buildEnvelope('order', orderPlaced, data, { type: 'order', id: data.orderId, version: 1 });
      await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
      sent.push({ email, eventId: envelope.id });
    };
    // Orders keep coming before, during and after the outage: one every 250 ms.
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        await publishOrder();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await sinks[0]?.close();
    const downAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    sinks.push(await startMailSink({ smtpPort, httpPort: 0 }));
    const backAfterMs = Date.now() - downAt;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    streaming = false;
    await stream;

    const ours = new Set(sent.map(({ email }) => email));
    const received = () =>
      sinks
        .flatMap((sink) => sink.messages())
        .flatMap((mail) => mail.to.map((to) => to.address))
        .filter((address) => ours.has(address));
    // The backlog of the outage goes out at the worker's pace, slower on a busy machine.
    await eventually(() => new Set(received()).size >= sent.length, 180_000, 'every mail at the sink');
    // Anything that would go out twice has had its chance.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const counts = new Map<string, number>();
    for (const address of received()) counts.set(address, (counts.get(address) ?? 0) + 1);
    const lost = sent.filter(({ email }) => !counts.has(email));
    const doubled = [...counts].filter(([, n]) => n > 1);
    // The run's vhost may hold other tests' events too: only this test's are counted.
    const ids = sent.map(({ eventId }) => eventId);
    const { rows } = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM notifications WHERE event_id = ANY(${ids}::uuid[]) GROUP BY status`.execute(db);
    process.stdout.write(`      SMTP away ${(backAfterMs / 1000).toFixed(0)} s: ${sent.length} orders published, ${counts.size} mailed, ${lost.length} lost, ${doubled.length} doubled, rows ${JSON.stringify(rows)}\n`);

    // One every 250 ms, slower on a busy machine: at least half that pace makes a stream.
    expect(sent.length, 'orders published across the outage').to.be.greaterThan(OUTAGE_MS / 500);
    expect(lost, 'lost').to.deep.equal([]);
    expect(doubled, 'doubled').to.deep.equal([]);
    expect(rows).to.deep.equal([{ status: 'sent', n: sent.length }]);
    const announced = new Set(tap.events('notification.sent').map((e) => (e.data as { eventId: string }).eventId));
    expect(sent.every(({ eventId }) => announced.has(eventId)), 'notification.sent for each').to.equal(true);
  });
});
