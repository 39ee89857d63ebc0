import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import amqplib from 'amqplib';
import client from 'prom-client';
import {
  customerProfileUpdated,
  productCreated,
  productUpdated,
  allSubscriptions,
  categoryCreated,
  routingKeyOf,
  subscriptions,
  type CustomerProfileUpdatedV1,
  type EventEnvelope,
  type ProductCreatedV1,
  type Subscription,
} from '@shop/contracts';
import { buildEnvelope, connectDatabase, countUnsent, createOutbox, createOutboxRelay, migrate, platformMigrations, sql, transactionRunner, type Committed, type Kysely } from '@shop/db';
import {
  connectBroker,
  countMessages,
  countParked,
  createMessagingMetrics,
  on,
  replayParked,
  replayUnroutable,
  retryQueueOf,
  startConsumer,
  UNROUTABLE_QUEUE,
  type Broker,
  type Consumer,
  type RetryPolicy,
} from '@shop/messaging';
import { TransientError } from '@shop/platform';
import { eventually, startBrokerProxy, startPostgresProxy, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger } from '@shop/testkit';

const logger = testLogger('messaging-test');
const FAST_RETRY: RetryPolicy = { delaysMs: [50, 100, 200], windowMs: 3_000 };

function profileUpdated(firstName: string, customerId: string = randomUUID()): CustomerProfileUpdatedV1 {
  return { customerId, firstName, lastName: 'Tester', updatedAt: new Date().toISOString() };
}

/** A profile-updated envelope about a customer at a version. */
function profileEvent(firstName: string, customerId: string = randomUUID(), version = 1): EventEnvelope<CustomerProfileUpdatedV1> {
  return buildEnvelope('messaging-test', customerProfileUpdated, profileUpdated(firstName, customerId), { type: 'customer', id: customerId, version });
}

const asMessage = (envelope: EventEnvelope) => ({ routingKey: routingKeyOf(envelope), envelope });

describe('messaging: topology, outbox, inbox, retries and parking', function () {
  this.timeout(30_000);
  let db: Kysely<any>;
  let databaseUrl: string;
  let amqpUrl: string;
  let broker: Broker;
  const consumers: Consumer[] = [];

  before(async () => {
    databaseUrl = testDatabaseUrl('messaging');
    db = await connectDatabase({ url: databaseUrl, logger });
    await migrate(db, [platformMigrations], logger);
    amqpUrl = await testAmqpUrl();
    broker = connectBroker({ url: amqpUrl, name: 'messaging-test', logger });
    await eventually(() => broker.isConnected(), 10_000, 'broker connection');
  });

  after(async () => {
    for (const consumer of consumers) await consumer.stop();
    await broker.close();
    await db.destroy();
  });

  const testSubscription = (queue: string): Subscription => ({ queue, events: [customerProfileUpdated] });

  function consume(queue: string, handle: (event: EventEnvelope<CustomerProfileUpdatedV1>) => Promise<void>, options: { retry?: RetryPolicy; handlerTimeoutMs?: number; on?: Broker; database?: Kysely<any> } = {}) {
    const consumer = startConsumer({
      broker: options.on ?? broker,
      db: options.database ?? db,
      logger,
      subscription: testSubscription(queue),
      retry: options.retry ?? FAST_RETRY,
      handlerTimeoutMs: options.handlerTimeoutMs,
      handlers: [on(customerProfileUpdated, (event) => handle(event))],
    });
    consumers.push(consumer);
    return consumer;
  }

  /** Publishes what the tests left in the outbox, and gives the lease up again. */
  async function drainOutbox(): Promise<void> {
    const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: 100_000 });
    await relay.drain();
    await relay.stop();
  }

  async function inboxCount(queue: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE consumer = ${queue}`.execute(db);
    return rows[0]?.n ?? 0;
  }

  /** A channel of its own for one piece of work; a channel the broker closes (404 on a missing queue) rejects the work. */
  async function withChannel<T>(work: (channel: amqplib.Channel) => Promise<T>): Promise<T> {
    const connection = await amqplib.connect(amqpUrl);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      return await work(channel);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  describe('topology', () => {
    it('when an event is published before its consumer ever ran, then the consumer receives it on its first start (the publisher declared its queue)', async () => {
      const tap = await tapEvents(amqpUrl, [routingKeyOf(productCreated)]);
      const outboxDb = await connectDatabase({ url: testDatabaseUrl('messaging_pub'), logger });
      try {
        await migrate(outboxDb, [platformMigrations], logger);
        const publisher = connectBroker({ url: amqpUrl, name: 'messaging-test-catalog', logger });
        const relay = createOutboxRelay({ db: outboxDb, publish: publisher.publish, logger, pollIntervalMs: 100_000 });
        await withChannel((channel) => channel.deleteQueue(subscriptions.inventoryProductEvents.queue));
        const product = productData();
        await outboxDb.transaction().execute((tx) => createOutbox('catalog').add(tx, productCreated, product, { type: 'product', id: product.productId, version: 1 }));
        await eventually(() => publisher.isConnected(), 10_000, 'publisher connection');
        expect(await relay.drain()).to.equal(1);
        await tap.waitFor('product.created', (data: ProductCreatedV1) => data.productId === product.productId);
        await publisher.close();

        const received: string[] = [];
        const consumer = startConsumer({
          broker,
          db,
          logger,
          subscription: subscriptions.inventoryProductEvents,
          retry: FAST_RETRY,
          handlers: [
            on(productCreated, async (event) => {
              received.push(event.data.productId);
            }),
            on(productUpdated, async () => {}),
          ],
        });
        consumers.push(consumer);
        await eventually(() => received.includes(product.productId), 10_000, 'the event published before the consumer existed');
      } finally {
        await tap.close();
        await outboxDb.destroy();
      }
    });

    it('when no queue takes an event a subscription expects (its queue was deleted), then it is kept in shop.events.unroutable, counted, and replayed once the queue is back', async () => {
      const registry = new client.Registry();
      const metrics = createMessagingMetrics(registry);
      const publisher = connectBroker({ url: amqpUrl, name: 'messaging-test-unroutable', logger, metrics });
      try {
        await eventually(() => publisher.isConnected(), 10_000, 'publisher connection');
        // Its topology first, or the declaration would bring back the queues deleted below.
        await publisher.topologyDeclared();
        const queue = subscriptions.catalogStockLevels.queue;
        const contract = subscriptions.catalogStockLevels.events[0]!;
        const before = await countMessages(publisher, UNROUTABLE_QUEUE);
        // Every queue that subscribes to it is gone.
        const subscribers = allSubscriptions().filter((s) => s.events.includes(contract));
        await withChannel(async (channel) => {
          for (const subscriber of subscribers) await channel.deleteQueue(subscriber.queue);
        });
        const envelope = buildEnvelope('inventory', contract, stockChangedData(), { type: 'stock', id: randomUUID(), version: 1 });
        await publisher.publish([asMessage(envelope)]);
        expect(await countMessages(publisher, UNROUTABLE_QUEUE)).to.equal(before + 1);
        expect(await registry.getSingleMetricAsString('messaging_unroutable_events_total')).to.contain('type="inventory.stock-changed",outcome="kept"} 1');

        // An event no subscription wants goes nowhere by design: counted, not kept.
        const categoryEvent = buildEnvelope('catalog', categoryCreated, { categoryId: randomUUID(), name: 'Teas', parentCategoryId: null, depth: 1, createdAt: new Date().toISOString() }, { type: 'category', id: randomUUID(), version: 1 });
        await publisher.publish([asMessage(categoryEvent)]);
        expect(await countMessages(publisher, UNROUTABLE_QUEUE)).to.equal(before + 1);
        expect(await registry.getSingleMetricAsString('messaging_unroutable_events_total')).to.contain('type="category.created",outcome="no-subscriber"} 1');

        // The queue is back (its publisher or consumer declared it again): replay delivers what was kept.
        await withChannel(async (channel) => {
          await channel.assertQueue(queue, { durable: true });
          await channel.bindQueue(queue, 'shop.events', routingKeyOf(envelope));
        });
        expect(await replayUnroutable(publisher)).to.be.at.least(1);
        const delivered = await withChannel(async (channel) => {
          const messages: string[] = [];
          for (let message = await channel.get(queue); message; message = await channel.get(queue)) messages.push(String(message.properties.messageId));
          return messages;
        });
        expect(delivered).to.include(envelope.id);
        expect(await countMessages(publisher, UNROUTABLE_QUEUE)).to.equal(0);
      } finally {
        await publisher.close();
      }
    });
  });

  describe('outbox relay', () => {
    it('when the broker is unreachable, then events stay in the outbox and go out in order once it is back', async () => {
      const proxy = await startBrokerProxy(amqpUrl);
      const cutBroker = connectBroker({ url: proxy.via(amqpUrl), name: 'messaging-test-cut', logger });
      try {
        await eventually(() => cutBroker.isConnected(), 10_000, 'proxied broker connection');
        const received: string[] = [];
        consume(`test.relay-${randomUUID()}`, async (event) => {
          received.push(event.data.firstName);
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const relay = createOutboxRelay({ db, publish: cutBroker.publish, logger, pollIntervalMs: 100_000 });
        const outbox = createOutbox('messaging-test');

        proxy.cut();
        await eventually(() => !cutBroker.isConnected(), 5_000, 'disconnect');
        const customerId = randomUUID();
        await db.transaction().execute(async (tx) => {
          for (const [version, name] of ['first', 'second', 'third'].entries()) {
            await outbox.add(tx, customerProfileUpdated, profileUpdated(name, customerId), { type: 'customer', id: customerId, version: version + 1 });
          }
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
        await relay.stop();
      } finally {
        await cutBroker.close();
        await proxy.close();
      }
    });

    it('when the relay waits for the broker to confirm, then no transaction of its database stays open meanwhile', async () => {
      let openTransactions: number | undefined;
      const relay = createOutboxRelay({
        db,
        logger,
        pollIntervalMs: 100_000,
        publish: async (messages) => {
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(db);
          openTransactions = rows[0]?.n;
          await broker.publish(messages);
        },
      });
      await db.transaction().execute((tx) => createOutbox('messaging-test').add(tx, customerProfileUpdated, profileUpdated('no tx'), { type: 'customer', id: randomUUID(), version: 1 }));
      expect(await relay.drain()).to.equal(1);
      expect(openTransactions).to.equal(0);
      await relay.stop();
    });

    it('when two relays share a database, then only the one holding the lease publishes, and the other takes over once it stops', async () => {
      const published: string[][] = [[], []];
      const relays = [0, 1].map((i) =>
        createOutboxRelay({
          db,
          logger,
          pollIntervalMs: 100_000,
          publish: async (messages) => {
            published[i]!.push(...messages.map((m) => m.envelope.id));
            await broker.publish(messages);
          },
        }),
      );
      const outbox = createOutbox('messaging-test');
      const add = () => db.transaction().execute((tx) => outbox.add(tx, customerProfileUpdated, profileUpdated('lease'), { type: 'customer', id: randomUUID(), version: 1 }));
      await add();
      expect(await relays[0]!.drain()).to.equal(1);
      await add();
      expect(await relays[1]!.drain(), 'the lease is the first relay').to.equal(0);
      await relays[0]!.stop();
      expect(await relays[1]!.drain(), 'the lease was given up').to.equal(1);
      expect(published[0]).to.have.length(1);
      expect(published[1]).to.have.length(1);
      await relays[1]!.stop();
    });
    it('when the relay renewed its lease less than half a lease ago, then it publishes without asking for it again; once the lease ran out and another relay took it, the first publishes nothing', async () => {
      const published: string[][] = [[], []];
      const relays = [0, 1].map((i) =>
        createOutboxRelay({
          db,
          logger,
          pollIntervalMs: 100_000,
          leaseMs: 1_000,
          publish: async (messages) => {
            published[i]!.push(...messages.map((m) => m.envelope.id));
            await broker.publish(messages);
          },
        }),
      );
      const outbox = createOutbox('messaging-test');
      const add = () => db.transaction().execute((tx) => outbox.add(tx, customerProfileUpdated, profileUpdated('lease'), { type: 'customer', id: randomUUID(), version: 1 }));
      const leaseExpiry = async () => (await sql<{ expires_at: Date }>`SELECT expires_at FROM outbox_relay_lease WHERE name = 'outbox'`.execute(db)).rows[0]?.expires_at.getTime();

      const first = await add();
      expect(await relays[0]!.drain()).to.equal(1);
      const renewedAt = await leaseExpiry();
      const second = await add();
      expect(await relays[0]!.drain(), 'published within the lease it holds').to.equal(1);
      expect(await leaseExpiry(), 'the lease was not asked for again').to.equal(renewedAt);

      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const third = await add();
      expect(await relays[1]!.drain(), 'the other relay takes the lease that ran out').to.equal(1);
      const fourth = await add();
      expect(await relays[0]!.drain(), 'the first relay asks again, and is refused').to.equal(0);
      expect(await relays[1]!.drain()).to.equal(1);
      expect(published[0]).to.deep.equal([first.id, second.id]);
      expect(published[1]).to.deep.equal([third.id, fourth.id]);
      for (const relay of relays) await relay.stop();
    });

    it('when a commit wrote no events, then waking the relay looks at nothing; rows written without a wake (another process) go out at the next poll', async () => {
      const published: string[] = [];
      const relay = createOutboxRelay({
        db,
        logger,
        pollIntervalMs: 1_000,
        publish: async (messages) => {
          published.push(...messages.map((m) => m.envelope.id));
          await broker.publish(messages);
        },
      });
      relay.start();
      await relay.drain();
      const event = await db.transaction().execute((tx) => createOutbox('messaging-test').add(tx, customerProfileUpdated, profileUpdated('no wake'), { type: 'customer', id: randomUUID(), version: 1 }));
      relay.wake({ wroteEvents: false });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(published, 'a commit without events woke nothing').not.to.include(event.id);
      await eventually(() => published.includes(event.id), 5_000, 'the row published by the poll');
      await relay.stop();
    });

    it('when a transaction of the runner writes events, then the relay is told so after the commit; one that writes none tells it so too', async () => {
      const told: Committed[] = [];
      const run = transactionRunner(db, (committed) => told.push(committed));
      const outbox = createOutbox('messaging-test');
      await run((tx) => outbox.add(tx, customerProfileUpdated, profileUpdated('told'), { type: 'customer', id: randomUUID(), version: 1 }));
      await run((tx) => sql`SELECT 1`.execute(tx));
      expect(told).to.deep.equal([{ wroteEvents: true }, { wroteEvents: false }]);
      await drainOutbox();
    });
  });

  describe('consumer', () => {
    it('when the same event is delivered twice, then it is applied once', async () => {
      const queue = `test.dedupe-${randomUUID()}`;
      let applied = 0;
      consume(queue, async () => {
        applied += 1;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const message = asMessage(profileEvent('once'));
      await broker.publish([message]);
      await broker.publish([message]);
      await eventually(async () => (await inboxCount(queue)) === 1, 5_000, 'inbox row');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(applied).to.equal(1);
    });

    it('when an older event of an aggregate arrives after a newer one, then it is recognised as stale and not applied', async () => {
      const queue = `test.order-${randomUUID()}`;
      const applied: string[] = [];
      consume(queue, async (event) => {
        applied.push(event.data.firstName);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const customerId = randomUUID();
      await broker.publish([asMessage(profileEvent('v3', customerId, 3))]);
      await eventually(() => applied.length === 1, 5_000, 'v3 applied');
      await broker.publish([asMessage(profileEvent('v2', customerId, 2)), asMessage(profileEvent('v3 again, another event', customerId, 3)), asMessage(profileEvent('v4', customerId, 4))]);
      await eventually(() => applied.length === 3, 5_000, 'v3 and v4 applied');
      expect(applied).to.deep.equal(['v3', 'v3 again, another event', 'v4']);
      expect(await inboxCount(queue), 'the stale event is in the inbox all the same').to.equal(4);
    });

    it('when an event carries no aggregate (published before events named one), then it is applied once all the same', async () => {
      const queue = `test.no-aggregate-${randomUUID()}`;
      let applied = 0;
      consume(queue, async () => {
        applied += 1;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { aggregate: _dropped, ...old } = profileEvent('old');
      const message = { routingKey: routingKeyOf(old), envelope: old as EventEnvelope };
      await broker.publish([message]);
      await broker.publish([message]);
      await eventually(async () => (await inboxCount(queue)) === 1, 5_000, 'inbox row');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(applied).to.equal(1);
    });

    it("when a handler runs, then its transaction has the consumer's limits (a lock waited for half the handler timeout, idle ended at it) and afterCommit hears whether it wrote events", async () => {
      const queue = `test.limits-${randomUUID()}`;
      const limits: Array<[string, string]> = [];
      const committed: Array<[string, boolean]> = [];
      const outbox = createOutbox('messaging-test');
      const consumer = startConsumer({
        broker,
        db,
        logger,
        subscription: testSubscription(queue),
        retry: FAST_RETRY,
        handlerTimeoutMs: 4_000,
        afterCommit: ({ event, wroteEvents }) => committed.push([(event.data as CustomerProfileUpdatedV1).firstName, wroteEvents]),
        handlers: [
          on(customerProfileUpdated, async (event, tx) => {
            const { rows } = await sql<{ lock: string; idle: string }>`SELECT current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle`.execute(tx);
            limits.push([rows[0]!.lock, rows[0]!.idle]);
            if (event.data.firstName === 'writes') await outbox.add(tx, customerProfileUpdated, profileUpdated('follow-up'), { type: 'customer', id: randomUUID(), version: 1 });
          }),
        ],
      });
      consumers.push(consumer);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await broker.publish([asMessage(profileEvent('writes')), asMessage(profileEvent('quiet'))]);
      await eventually(() => committed.length === 2, 5_000, 'both handled');
      expect(limits).to.deep.equal([
        ['2s', '4s'],
        ['2s', '4s'],
      ]);
      expect(committed).to.deep.equal([
        ['writes', true],
        ['quiet', false],
      ]);
      await drainOutbox();
    });

    it('when a handler fails for a permanent reason (a bug), then the event is parked at once, with no retry and no inbox row', async () => {
      const queue = `test.permanent-${randomUUID()}`;
      let attempts = 0;
      consume(queue, async () => {
        attempts += 1;
        throw new TypeError('cannot read properties of undefined');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await broker.publish([asMessage(profileEvent('buggy'))]);
      await eventually(async () => (await countParked(broker, queue)) === 1, 10_000, 'parked message');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(attempts).to.equal(1);
      expect(await inboxCount(queue)).to.equal(0);
    });

    it('when a handler keeps failing for a transient reason, then it is retried with backoff until the retry window ends, then parked', async () => {
      const queue = `test.transient-${randomUUID()}`;
      const attemptsAt: number[] = [];
      consume(
        queue,
        async () => {
          attemptsAt.push(Date.now());
          throw new TransientError('smtp is down');
        },
        { retry: { delaysMs: [50, 100, 200], windowMs: 1_000 } },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await broker.publish([asMessage(profileEvent('failing'))]);
      await eventually(async () => (await countParked(broker, queue)) === 1, 10_000, 'parked message');
      const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
      // 50, 100, 200, then 200 repeated while the window lasts: about 1 s of retries in all.
      expect(attemptsAt.length).to.be.within(5, 8);
      expect(gaps[0]).to.be.within(40, 400);
      expect(gaps.at(-1)).to.be.within(150, 600);
      expect(await inboxCount(queue)).to.equal(0);
    });

    it('when a handler fails once for a transient reason, then the retry applies it', async () => {
      let attempts = 0;
      const applied: string[] = [];
      consume(`test.flaky-${randomUUID()}`, async (event) => {
        attempts += 1;
        if (attempts === 1) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        applied.push(event.id);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const envelope = profileEvent('flaky');
      await broker.publish([asMessage(envelope)]);
      await eventually(() => applied.length === 1, 5_000, 'applied after retry');
      expect(applied).to.deep.equal([envelope.id]);
    });

    it('when a handler hangs, then it times out as a transient failure, the queue goes on with the next message, and the event is applied once later', async () => {
      const queue = `test.hung-${randomUUID()}`;
      const finished: string[] = [];
      let hung = false;
      consume(
        queue,
        async (event) => {
          if (event.data.firstName === 'hangs' && !hung) {
            hung = true;
            await new Promise((resolve) => setTimeout(resolve, 3_000));
          }
          finished.push(event.data.firstName);
        },
        { handlerTimeoutMs: 300 },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await broker.publish([asMessage(profileEvent('hangs')), asMessage(profileEvent('next'))]);
      await eventually(() => finished.includes('next'), 5_000, 'the next message');
      expect(Date.now() - started, 'the next message did not wait for the hung one').to.be.below(2_500);
      await eventually(async () => (await inboxCount(queue)) === 2, 10_000, 'both in the inbox');
      expect(await countParked(broker, queue)).to.equal(0);
    });

    it('when a payload fails its schema, then it is parked at once without calling the handler', async () => {
      const queue = `test.invalid-${randomUUID()}`;
      let attempts = 0;
      consume(queue, async () => {
        attempts += 1;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const broken = { ...profileEvent('valid'), data: { customerId: 'not-a-uuid' } } as EventEnvelope;
      await broker.publish([asMessage(broken)]);
      await eventually(async () => (await countParked(broker, queue)) === 1, 5_000, 'parked message');
      expect(attempts).to.equal(0);
    });

    it('when parked events are replayed after the cause is fixed, then they are applied and the parking lot is empty', async () => {
      const queue = `test.replay-${randomUUID()}`;
      let fixed = false;
      const applied: string[] = [];
      consume(queue, async (event) => {
        if (!fixed) throw new Error('bug');
        applied.push(event.data.firstName);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const name of ['one', 'two']) await broker.publish([asMessage(profileEvent(name))]);
      await eventually(async () => (await countParked(broker, queue)) === 2, 10_000, 'two parked');
      fixed = true;
      expect(await replayParked(broker, queue)).to.equal(2);
      await eventually(() => applied.length === 2, 5_000, 'replayed events applied');
      expect(applied.sort()).to.deep.equal(['one', 'two']);
      expect(await countParked(broker, queue)).to.equal(0);
    });

    it('when a consumer restarts with another retry ladder, then it declares new retry queues, stays up and consumes', async () => {
      const queue = `test.ladder-${randomUUID()}`;
      const seen: string[] = [];
      const first = consume(queue, async (e) => void seen.push(e.data.firstName), { retry: { delaysMs: [50, 50, 50], windowMs: 1_000 } });
      await eventually(async () => withChannel((c) => c.checkQueue(retryQueueOf(queue, 50))).catch(() => undefined), 5_000, 'the 50 ms retry queue');
      await first.stop();
      let flaky = 0;
      consume(
        queue,
        async (e) => {
          flaky += 1;
          if (flaky === 1) throw new TransientError('once');
          seen.push(e.data.firstName);
        },
        { retry: { delaysMs: [100, 100, 100], windowMs: 1_000 } },
      );
      await eventually(async () => withChannel((c) => c.checkQueue(retryQueueOf(queue, 100))).catch(() => undefined), 5_000, 'the 100 ms retry queue');
      await broker.publish([asMessage(profileEvent('after restart'))]);
      await eventually(() => seen.includes('after restart'), 5_000, 'consumed and retried on the new ladder');
      expect(broker.isConnected()).to.equal(true);
    });

    it('when a handler is still running across a broker reconnect, then its ack is dropped (no channel error), the redelivery is a duplicate, and consuming goes on', async () => {
      const proxy = await startBrokerProxy(amqpUrl);
      const cutBroker = connectBroker({ url: proxy.via(amqpUrl), name: 'messaging-test-stale-tag', logger });
      let disconnects = 0;
      cutBroker.connection.on('disconnect', () => (disconnects += 1));
      try {
        await eventually(() => cutBroker.isConnected(), 10_000, 'proxied connection');
        const queue = `test.stale-tag-${randomUUID()}`;
        let releaseHandler: () => void = () => {};
        const held = new Promise<void>((resolve) => (releaseHandler = resolve));
        const calls: string[] = [];
        consume(
          queue,
          async (event) => {
            calls.push(event.data.firstName);
            if (calls.length === 1) await held;
          },
          { on: cutBroker },
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        await broker.publish([asMessage(profileEvent('held'))]);
        await eventually(() => calls.length === 1, 5_000, 'the handler to be holding');

        proxy.cut();
        await eventually(() => !cutBroker.isConnected(), 5_000, 'disconnect');
        proxy.restore();
        await eventually(() => cutBroker.isConnected(), 10_000, 'reconnect');
        const disconnectsAfterReconnect = disconnects;
        releaseHandler();

        await eventually(async () => (await inboxCount(queue)) === 1, 5_000, 'applied once');
        await broker.publish([asMessage(profileEvent('later'))]);
        await eventually(() => calls.includes('later'), 10_000, 'a later message consumed');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(disconnects, 'no connection reset after the stale ack').to.equal(disconnectsAfterReconnect);
        expect(await inboxCount(queue)).to.equal(2);
        expect(calls.filter((c) => c === 'held').length, 'redelivered once, applied once').to.be.at.most(2);
      } finally {
        await cutBroker.close();
        await proxy.close();
      }
    });
  });

  describe('when PostgreSQL is cut for 40 s while events flow', () => {
    it('then nothing is parked and every event is applied exactly once after it returns', async function () {
      this.timeout(120_000);
      const proxy = await startPostgresProxy(databaseUrl);
      const cutDb = await connectDatabase<any>({ url: proxy.via(databaseUrl), logger });
      try {
        const queue = `test.pg-outage-${randomUUID()}`;
        const applied: string[] = [];
        consume(
          queue,
          async (event) => {
            applied.push(event.data.firstName);
          },
          { database: cutDb, retry: { delaysMs: [200, 1_000, 5_000], windowMs: 600_000 } },
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        const names = Array.from({ length: 30 }, (_, i) => `event-${i}`);
        await broker.publish(names.slice(0, 10).map((n) => asMessage(profileEvent(n))));
        await eventually(() => applied.length === 10, 10_000, 'the first ten applied');

        proxy.cut();
        const cutAt = Date.now();
        for (const name of names.slice(10)) {
          await broker.publish([asMessage(profileEvent(name))]);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 40_000 - (Date.now() - cutAt))));
        expect(applied.length, 'nothing applied while PostgreSQL was away').to.equal(10);
        proxy.restore();

        await eventually(() => applied.length === 30, 30_000, 'every event applied');
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect([...applied].sort()).to.deep.equal([...names].sort());
        expect(await countParked(broker, queue)).to.equal(0);
        expect(await inboxCount(queue)).to.equal(30);
      } finally {
        await cutDb.destroy();
        await proxy.close();
      }
    });
  });

  describe('inbox pruning', () => {
    it('when inbox rows are older than the retention, then the relay deletes them and keeps the recent ones', async () => {
      const old = randomUUID();
      const recent = randomUUID();
      await sql`INSERT INTO inbox (consumer, event_id, event_type, processed_at) VALUES ('test.prune', ${old}, 't', now() - interval '8 days'), ('test.prune', ${recent}, 't', now())`.execute(db);
      const relay = createOutboxRelay({ db, publish: broker.publish, logger, pollIntervalMs: 100_000 });
      relay.start();
      await eventually(async () => {
        const { rows } = await sql<{ event_id: string }>`SELECT event_id FROM inbox WHERE consumer = 'test.prune'`.execute(db);
        return rows.length === 1 && rows[0]?.event_id === recent;
      }, 5_000, 'the old row pruned');
      await relay.stop();
    });
  });
});

function productData(): ProductCreatedV1 {
  const productId = randomUUID();
  return {
    productId,
    name: 'Teapot',
    description: 'A teapot',
    price: { amount: 2500, currency: 'USD' },
    categoryId: randomUUID(),
    status: 'active',
    variants: [{ variantId: randomUUID(), sku: `SKU-${productId.slice(0, 8)}`, name: 'Default', price: { amount: 2500, currency: 'USD' } }],
    initialStock: 3,
    createdBy: randomUUID(),
    createdAt: new Date().toISOString(),
  };
}

function stockChangedData() {
  return {
    inventoryId: randomUUID(),
    variantId: randomUUID(),
    productId: randomUUID(),
    onHand: 5,
    reserved: 0,
    available: 5,
    lowStockThreshold: 2,
    stockStatus: 'in_stock' as const,
    stockVersion: 1,
    changedAt: new Date().toISOString(),
  };
}
