import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import client from 'prom-client';
import { customerProfileUpdated, routingKeyOf, type CustomerProfileUpdatedV1 } from '@shop/contracts';
import { buildEnvelope, connectDatabase, createOutbox, createOutboxRelay, migrate, oldestUnsentAgeSeconds, platformMigrations, sql, type Kysely } from '@shop/db';
import { connectBroker, countParked, createMessagingMetrics, createOutboxMetrics, on, startConsumer, type Broker, type Consumer } from '@shop/messaging';
import { TransientError } from '@shop/platform';
import { eventually, testAmqpUrl, testDatabaseUrl, testLogger } from '@shop/testkit';

const logger = testLogger('messaging-metrics-test');

function profileUpdated(firstName: string): CustomerProfileUpdatedV1 {
  return { customerId: randomUUID(), firstName, lastName: 'Tester', updatedAt: new Date().toISOString() };
}

/** The value of one sample of the registry's text output, by its full name and labels. */
async function sample(registry: client.Registry, line: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('messaging: the metrics of consumers and of the outbox', function () {
  this.timeout(30_000);
  let db: Kysely<any>;
  let registry: client.Registry;
  let broker: Broker;
  const consumers: Consumer[] = [];

  before(async () => {
    db = await connectDatabase({ url: testDatabaseUrl('messaging_metrics'), logger });
    await migrate(db, [platformMigrations], logger);
    registry = new client.Registry();
    broker = connectBroker({ url: await testAmqpUrl(), name: 'messaging-metrics-test', logger, metrics: createMessagingMetrics(registry) });
    await eventually(() => broker.isConnected(), 10_000, 'broker connection');
  });

  after(async () => {
    for (const consumer of consumers) await consumer.stop();
    await broker.close();
    await db.destroy();
  });

  describe('messaging_events_consumed_total and messaging_event_lag_seconds', () => {
    it('when events are applied, retried, delivered twice and parked, then each outcome is counted for its queue, and the lag observed for each event handled', async () => {
      const queue = `test.metrics-${randomUUID()}`;
      let flaky = 0;
      consumers.push(
        startConsumer({
          broker,
          db,
          logger,
          subscription: { queue, events: [customerProfileUpdated] },
          retry: { delaysMs: [50], windowMs: 3_000 },
          handlers: [
            on(customerProfileUpdated, async (event) => {
              if (event.data.firstName === 'broken') throw new TypeError('a bug');
              if (event.data.firstName === 'flaky' && (flaky += 1) === 1) throw new TransientError('the database blinked');
            }),
          ],
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const envelope = (firstName: string) => buildEnvelope('metrics-test', customerProfileUpdated, profileUpdated(firstName), { type: 'customer', id: randomUUID(), version: 1 });
      const flakyEvent = envelope('flaky');
      const messages = [flakyEvent, envelope('broken')].map((e) => ({ routingKey: routingKeyOf(e), envelope: e }));
      await broker.publish(messages);
      await eventually(async () => (await countParked(broker, queue)) === 1, 10_000, 'the broken event parked');
      await eventually(async () => (await sample(registry, `messaging_events_consumed_total{queue="${queue}",outcome="applied"}`)) === 1, 10_000, 'the flaky event applied');
      await broker.publish([messages[0]!]);
      await eventually(async () => (await sample(registry, `messaging_events_consumed_total{queue="${queue}",outcome="duplicate"}`)) === 1, 10_000, 'the redelivery counted');

      expect(await sample(registry, `messaging_events_consumed_total{queue="${queue}",outcome="retried"}`)).to.equal(1);
      expect(await sample(registry, `messaging_events_consumed_total{queue="${queue}",outcome="parked"}`)).to.equal(1);
      // The applied event and its duplicate; a retry or a parked event is not handled yet.
      expect(await sample(registry, `messaging_event_lag_seconds_count{queue="${queue}"}`)).to.equal(2);
      const lagSum = await sample(registry, `messaging_event_lag_seconds_sum{queue="${queue}"}`);
      expect(lagSum).to.be.above(0.04).and.below(10);
    });
  });

  describe('outbox_oldest_unsent_age_seconds and outbox_events_published_total', () => {
    it('when rows wait unsent, then the age is that of the oldest; once the relay published them, it is 0 and they are counted', async () => {
      const outboxRegistry = new client.Registry();
      const metrics = createOutboxMetrics(outboxRegistry, () => oldestUnsentAgeSeconds(db));
      const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: 100_000, onPublished: (count) => metrics.published.inc(count) });
      await relay.drain();
      expect(await sample(outboxRegistry, 'outbox_oldest_unsent_age_seconds')).to.equal(0);

      const outbox = createOutbox('metrics-test');
      const older = await db.transaction().execute((tx) => outbox.add(tx, customerProfileUpdated, profileUpdated('older'), { type: 'customer', id: randomUUID(), version: 1 }));
      await db.transaction().execute((tx) => outbox.add(tx, customerProfileUpdated, profileUpdated('newer'), { type: 'customer', id: randomUUID(), version: 1 }));
      await sql`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE event_id = ${older.id}`.execute(db);
      expect(await sample(outboxRegistry, 'outbox_oldest_unsent_age_seconds')).to.be.within(90, 100);

      expect(await relay.drain()).to.equal(2);
      expect(await sample(outboxRegistry, 'outbox_oldest_unsent_age_seconds')).to.equal(0);
      expect(await sample(outboxRegistry, 'outbox_events_published_total')).to.equal(2);
      await relay.stop();
    });

    it('when the database cannot be read, then the scrape still answers, the age unknown (NaN)', async () => {
      const outboxRegistry = new client.Registry();
      createOutboxMetrics(outboxRegistry, () => Promise.reject(new Error('connection refused')));
      const text = await outboxRegistry.metrics();
      expect(text).to.contain('outbox_events_published_total 0');
      expect(Number.isNaN(await sample(outboxRegistry, 'outbox_oldest_unsent_age_seconds')), 'NaN').to.equal(true);
    });
  });
});
