import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import amqplib from 'amqplib';
import { customerProfileUpdated, routingKeyOf, type CustomerProfileUpdatedV1, type EventEnvelope } from '@shop/contracts';
import { buildEnvelope, connectDatabase, countUnsent, createOutbox, createOutboxRelay, migrate, platformMigrations, sql, type Kysely } from '@shop/db';
import { connectBroker, countParked, parkedQueueOf, replayParked, startConsumer, on, type Broker, type Consumer } from '@shop/messaging';
import { eventually, startTcpProxy, testAmqpUrl, testDatabaseUrl, testLogger, type TcpProxy } from '@shop/testkit';

const logger = testLogger('messaging-test');

function profileUpdated(firstName: string): CustomerProfileUpdatedV1 {
  return { customerId: randomUUID(), firstName, lastName: 'Tester', updatedAt: new Date().toISOString() };
}

describe('messaging: outbox, inbox, retries and parking', function () {
  this.timeout(30_000);
  let db: Kysely<any>;
  let amqpUrl: string;
  let broker: Broker;
  const consumers: Consumer[] = [];

  before(async () => {
    db = await connectDatabase({ url: testDatabaseUrl('messaging'), logger });
    await migrate(db, [platformMigrations], logger);
    amqpUrl = await testAmqpUrl();
    broker = connectBroker({ url: amqpUrl, name: 'messaging-test', logger });
    await eventually(() => broker.isConnected(), 10_000, 'broker connection');
  });

  after(async () => {
    for (const consumer of consumers) await consumer.close();
    await broker.close();
    await db.destroy();
  });

  async function consume(queue: string, handle: (event: EventEnvelope<CustomerProfileUpdatedV1>) => Promise<void>) {
    consumers.push(
      await startConsumer({ broker, db, logger, queue, retryDelaysMs: [50, 50, 50], handlers: [on(customerProfileUpdated, (event) => handle(event))] }),
    );
  }

  async function parkedCount(queue: string): Promise<number> {
    const connection = await amqplib.connect(amqpUrl);
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(parkedQueueOf(queue))).messageCount;
    } finally {
      await connection.close();
    }
  }

  describe('outbox relay', () => {
    let proxy: TcpProxy;
    let cutBroker: Broker;

    before(async () => {
      proxy = await startTcpProxy(Number(new URL(amqpUrl).port || 5672));
      const viaProxy = new URL(amqpUrl);
      viaProxy.port = String(proxy.port);
      cutBroker = connectBroker({ url: viaProxy.toString(), name: 'messaging-test-cut', logger });
      await eventually(() => cutBroker.isConnected(), 10_000, 'proxied broker connection');
    });

    after(async () => {
      await cutBroker.close();
      await proxy.close();
    });

    it('when the broker is unreachable, then events stay in the outbox and go out in order once it is back', async () => {
      const received: string[] = [];
      await consume(`test.relay-${randomUUID()}`, async (event) => {
        received.push(event.data.firstName);
      });
      const relay = createOutboxRelay({ db, publish: cutBroker.publish, logger, pollIntervalMs: 100_000 });
      const outbox = createOutbox('messaging-test');

      proxy.cut();
      await eventually(() => !cutBroker.isConnected(), 5_000, 'disconnect');
      await db.transaction().execute(async (tx) => {
        for (const name of ['first', 'second', 'third']) await outbox.add(tx, customerProfileUpdated, profileUpdated(name));
      });
      let failure: unknown;
      await relay.drain().catch((err) => (failure = err));
      expect(failure, 'publishing without a broker fails').to.be.instanceOf(Error);
      expect(await countUnsent(db)).to.equal(3);

      proxy.restore();
      await eventually(() => cutBroker.isConnected(), 10_000, 'reconnect');
      expect(await relay.drain()).to.equal(3);
      expect(await countUnsent(db)).to.equal(0);
      await eventually(() => received.length === 3, 5_000, 'three events');
      expect(received).to.deep.equal(['first', 'second', 'third']);
    });
  });

  describe('consumer', () => {
    it('when the same event is delivered twice, then it is applied once', async () => {
      const queue = `test.dedupe-${randomUUID()}`;
      let applied = 0;
      await consume(queue, async () => {
        applied += 1;
      });
      const envelope = buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated('once'));
      const message = { routingKey: routingKeyOf(envelope), envelope };
      await broker.publish([message]);
      await broker.publish([message]);
      await eventually(async () => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE consumer = ${queue}`.execute(db);
        return rows[0]?.n === 1;
      }, 5_000, 'inbox row');
      // Give the duplicate time to arrive and be dropped.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(applied).to.equal(1);
    });

    it('when a handler keeps failing, then it is tried once and retried 3 times, then parked', async () => {
      const queue = `test.failing-${randomUUID()}`;
      let attempts = 0;
      await consume(queue, async () => {
        attempts += 1;
        throw new Error('smtp is down');
      });
      const envelope = buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated('failing'));
      await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
      await eventually(async () => (await parkedCount(queue)) === 1, 10_000, 'parked message');
      expect(attempts).to.equal(4);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE consumer = ${queue}`.execute(db);
      expect(rows[0]?.n, 'a failed attempt leaves no inbox row').to.equal(0);
    });

    it('when a payload fails its schema, then it is parked at once without calling the handler', async () => {
      const queue = `test.invalid-${randomUUID()}`;
      let attempts = 0;
      await consume(queue, async () => {
        attempts += 1;
      });
      const envelope = buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated('valid'));
      const broken = { ...envelope, data: { customerId: 'not-a-uuid' } } as EventEnvelope;
      await broker.publish([{ routingKey: routingKeyOf(envelope), envelope: broken }]);
      await eventually(async () => (await parkedCount(queue)) === 1, 5_000, 'parked message');
      expect(attempts).to.equal(0);
    });

    it('when parked events are replayed after the cause is fixed, then they are applied and the parking lot is empty', async () => {
      const queue = `test.replay-${randomUUID()}`;
      let fixed = false;
      const applied: string[] = [];
      await consume(queue, async (event) => {
        if (!fixed) throw new Error('bug');
        applied.push(event.data.firstName);
      });
      for (const name of ['one', 'two']) {
        const envelope = buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated(name));
        await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
      }
      await eventually(async () => (await countParked(broker, queue)) === 2, 10_000, 'two parked');
      fixed = true;
      expect(await replayParked(broker, queue)).to.equal(2);
      await eventually(() => applied.length === 2, 5_000, 'replayed events applied');
      expect(applied.sort()).to.deep.equal(['one', 'two']);
      expect(await countParked(broker, queue)).to.equal(0);
    });

    it('when a handler fails once, then the retry applies it', async () => {
      let attempts = 0;
      const applied: string[] = [];
      await consume(`test.flaky-${randomUUID()}`, async (event) => {
        attempts += 1;
        if (attempts === 1) throw new Error('transient');
        applied.push(event.id);
      });
      const envelope = buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated('flaky'));
      await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
      await eventually(() => applied.length === 1, 5_000, 'applied after retry');
      expect(applied).to.deep.equal([envelope.id]);
    });
  });
});
