import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { wroteEvents, type Committed } from '@shop/db';
import { envelopeSchema, findContract, routingKeyOf, type EventContract, type EventEnvelope, type Subscription } from '@shop/contracts';
import { isTransientError, runInContext, withTimeout, type Logger, type Stoppable } from '@shop/platform';
import type { Broker } from './broker.js';
import type { ConsumeOutcome } from './metrics.js';
import { declareBroadcastQueue, declareExchange, declareRetryQueues, declareSubscription, parkedQueueOf, retryQueueOf, ROUTING_KEY_HEADER } from './topology.js';

/** Applies one event inside the transaction that also records it in the inbox. */
export interface EventHandler<D = any, DB = any> {
  contract: EventContract<D>;
  handle(event: EventEnvelope<D>, tx: Transaction<DB>, delivery: Delivery): Promise<void>;
  /**
   * What an event older than one already applied for its aggregate means to this handler. For
   * state (the default, 'skip') it is outdated and skipped; for a handler that acts on every
   * event ('handle': each is a mail to send) it is handled, told that it is stale.
   */
  whenStale: 'skip' | 'handle';
}

/** What the consumer knows of the event beside its payload. */
export interface Delivery {
  /** A newer event of the same aggregate was applied already (only with `whenStale: 'handle'`). */
  stale: boolean;
}

/** Pairs a contract with its handler, keeping the payload type and the service's database type. */
export function on<D, DB = any>(
  contract: EventContract<D>,
  handle: EventHandler<D, DB>['handle'],
  options: { whenStale?: EventHandler['whenStale'] } = {},
): EventHandler<D, DB> {
  return { contract, handle, whenStale: options.whenStale ?? 'skip' };
}

/** How a consumer retries events that failed for a transient reason. */
export interface RetryPolicy {
  /** Backoff before each retry; the last one repeats until the window ends. */
  delaysMs: readonly number[];
  /** How long after the first failure an event is still retried; after that it is parked. */
  windowMs: number;
}

export interface ConsumerOptions<DB> {
  broker: Broker;
  /** The queue and its events, from the subscriptions in contracts; also the inbox's consumer name. */
  subscription: Subscription;
  handlers: EventHandler<any, DB>[];
  /** The consuming service's database, where the inbox and the handler's effects live. */
  db: Kysely<DB>;
  logger: Logger;
  retry: RetryPolicy;
  /** A handler running longer fails transiently, so one hung handler cannot stall its queue. */
  handlerTimeoutMs?: number;
  prefetch?: number;
  /**
   * Called after a handler's transaction commits, with the event and whether the handler wrote
   * outbox rows: wakes the outbox relay for them (`relay.wake` does nothing for a commit without).
   */
  afterCommit?: (committed: Committed & { event: EventEnvelope }) => void;
}

/** A running consumer: `stop()` takes no more messages, lets the one in hand finish, closes the channel. */
export type Consumer = Stoppable;

/** A message that can never succeed (bad JSON, envelope or payload): parked at once, never retried. */
class Unprocessable extends Error {}

const RETRIES_HEADER = 'x-retries';
const FIRST_FAILURE_HEADER = 'x-first-failed-at';
const LAST_ERROR_HEADER = 'x-last-error';

/**
 * Consumes a durable queue of the shop's topology. Each message is validated, then applied once:
 * the event id goes into the inbox and the aggregate's version into `inbox_aggregates` in the
 * handler's transaction, so a redelivery is a no-op and an event older than one already applied
 * for its aggregate is skipped as stale. A transient failure (a dependency down, a timeout) is
 * retried with capped backoff until the retry window ends; anything else is parked at once in
 * `<queue>.parked`. Messages are handled one after another, in delivery order, and acknowledged
 * on the channel they came on: after a reconnect an old delivery is not acknowledged at all (the
 * broker redelivers it and the inbox absorbs it).
 */
export function startConsumer<DB>(options: ConsumerOptions<DB>): Consumer {
  const { broker, subscription, db, logger, retry } = options;
  const { queue } = subscription;
  const byKey = new Map(options.handlers.map((h) => [routingKeyOf(h.contract), h]));
  assertCoversSubscription(subscription, byKey);
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const count = (outcome: ConsumeOutcome) => broker.metrics.consumed.inc({ queue, outcome });
  // Clocks of different hosts may disagree a little: a lag below zero is taken as none.
  const observeLag = (event: EventEnvelope) => {
    const lagMs = Date.now() - Date.parse(event.occurredAt);
    if (Number.isFinite(lagMs)) broker.metrics.lag.observe({ queue }, Math.max(0, lagMs) / 1_000);
  };

  const closedChannels = new WeakSet<Channel>();
  let current: { channel: ConfirmChannel; consumerTag: string } | undefined;
  let closing = false;
  // The one chain every delivery joins; a failure of one link never breaks it.
  let chain: Promise<void> = Promise.resolve();

  async function subscribe(channel: ConfirmChannel): Promise<void> {
    await declareExchange(channel);
    await declareSubscription(channel, subscription);
    await declareRetryQueues(channel, queue, retry.delaysMs);
    if (closing) return;
    await channel.prefetch(options.prefetch ?? 10);
    const { consumerTag } = await channel.consume(queue, (message) => {
      if (message) enqueue(channel, message);
      // Cancelled by the broker (the queue was deleted): declare it again and go on consuming.
      else if (!closing) void subscribe(channel).catch((err: unknown) => logger.error('could not consume again', { queue, error: String(err) }));
    });
    current = { channel, consumerTag };
  }

  const wrapper: ChannelWrapper = broker.openChannel(`${queue}-consumer`, async (channel) => {
    channel.on('close', () => {
      closedChannels.add(channel);
      if (current?.channel === channel) current = undefined;
    });
    await subscribe(channel);
  });

  function enqueue(channel: ConfirmChannel, message: ConsumeMessage): void {
    chain = chain
      .then(() => handle(channel, message))
      .catch((err: unknown) => {
        logger.error('message handling failed unexpectedly', { queue, error: String(err) });
      });
  }

  async function handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    // Shutting down: leave it unacknowledged; the broker gives it to another replica or to us later.
    if (closing) return;
    let event: EventEnvelope | undefined;
    let handler: EventHandler<any, DB>;
    try {
      ({ event, handler } = parse(message, byKey));
    } catch (err) {
      await park(channel, message, err, undefined);
      return;
    }
    const parsed = event;
    try {
      const { outcome, wroteEvents } = await withTimeout(
        runInContext({ correlationId: parsed.correlationId, causationId: parsed.id }, () => apply(parsed, handler)),
        handlerTimeoutMs,
        `handler of ${parsed.type}`,
      );
      if (outcome === 'applied') options.afterCommit?.({ event: parsed, wroteEvents });
      count(outcome);
      observeLag(parsed);
      logger.debug('event handled', { queue, eventId: parsed.id, type: parsed.type, outcome, correlationId: parsed.correlationId });
      ack(channel, message);
    } catch (err) {
      if (isTransientError(err)) await retryLater(channel, message, err, parsed);
      else await park(channel, message, err, parsed);
    }
  }

  async function apply(event: EventEnvelope, handler: EventHandler<any, DB>): Promise<{ outcome: 'applied' | 'duplicate' | 'stale'; wroteEvents: boolean }> {
    return db.transaction().execute(async (tx) => {
      const { recorded, current } = await recordInInbox(tx, event);
      if (!recorded) return { outcome: 'duplicate', wroteEvents: false };
      const stale = event.aggregate !== undefined && !current;
      if (stale && handler.whenStale === 'skip') return { outcome: 'stale', wroteEvents: false };
      await handler.handle(event, tx, { stale });
      return { outcome: 'applied', wroteEvents: wroteEvents(tx) };
    });
  }

  /**
   * One round trip before the handler: the event id goes into the inbox (none inserted: a
   * duplicate), and, for a new event, its aggregate's version into `inbox_aggregates` unless a newer
   * one was applied already (then the event is stale: `current` false). First, the transaction's
   * limits: an attempt that timed out may still hold this event's inbox row, so its lock is waited
   * for only briefly (a transient failure, retried later), and PostgreSQL ends a transaction its
   * handler left idle past the timeout, so its locks do not outlive it. The inbox insert reads its
   * row from `limits`, so the limits are set before it can wait for a lock.
   */
  async function recordInInbox(tx: Transaction<DB>, event: EventEnvelope): Promise<{ recorded: boolean; current: boolean }> {
    const aggregate = event.aggregate ?? { type: null, id: null, version: null };
    const { rows } = await sql<{ recorded: boolean; current: boolean }>`
      WITH limits AS (
        SELECT set_config('lock_timeout', ${`${Math.ceil(handlerTimeoutMs / 2)}ms`}, true),
          set_config('idle_in_transaction_session_timeout', ${`${handlerTimeoutMs}ms`}, true)
      ), recorded AS (
        INSERT INTO inbox (consumer, event_id, event_type) SELECT ${queue}, ${event.id}::uuid, ${event.type} FROM limits
        ON CONFLICT DO NOTHING
        RETURNING 1
      ), newest AS (
        INSERT INTO inbox_aggregates (consumer, aggregate_type, aggregate_id, version)
        SELECT ${queue}, ${aggregate.type}::text, ${aggregate.id}::text, ${aggregate.version}::integer FROM recorded WHERE ${aggregate.type}::text IS NOT NULL
        ON CONFLICT (consumer, aggregate_type, aggregate_id) DO UPDATE SET version = excluded.version
          WHERE inbox_aggregates.version <= excluded.version
        RETURNING 1
      )
      SELECT EXISTS (SELECT 1 FROM recorded) AS recorded, EXISTS (SELECT 1 FROM newest) AS current`.execute(tx);
    return rows[0]!;
  }

  function ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    if (closedChannels.has(channel)) {
      logger.debug('ack dropped: the channel it came on is gone; the redelivery will be a duplicate', { queue });
      return;
    }
    try {
      channel.ack(message);
    } catch (err) {
      logger.debug('ack dropped', { queue, error: String(err) });
    }
  }

  /** Sends a copy where it must go, confirmed, then acknowledges the original; if that fails the broker redelivers it. */
  async function moveTo(channel: ConfirmChannel, target: string, message: ConsumeMessage, headers: Record<string, unknown>): Promise<boolean> {
    if (closedChannels.has(channel)) return false;
    const properties: Options.Publish = { ...(message.properties as Options.Publish), persistent: true, headers: { ...message.properties.headers, ...headers } };
    try {
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(target, message.content, properties, (err) => (err ? reject(err) : resolve()));
      });
    } catch (err) {
      logger.warn('could not move the message aside; the broker will redeliver it', { queue, target, error: String(err) });
      return false;
    }
    ack(channel, message);
    return true;
  }

  async function retryLater(channel: ConfirmChannel, message: ConsumeMessage, err: unknown, event: EventEnvelope): Promise<void> {
    const headers = message.properties.headers ?? {};
    const retries = Number(headers[RETRIES_HEADER] ?? 0);
    const firstFailedAt = Number(headers[FIRST_FAILURE_HEADER] ?? Date.now());
    const delay = retry.delaysMs[Math.min(retries, retry.delaysMs.length - 1)] ?? 1_000;
    if (Date.now() + delay - firstFailedAt > retry.windowMs) {
      await park(channel, message, err, event);
      return;
    }
    const reason = describe(err);
    const moved = await moveTo(channel, retryQueueOf(queue, delay), message, {
      [RETRIES_HEADER]: retries + 1,
      [FIRST_FAILURE_HEADER]: firstFailedAt,
      [LAST_ERROR_HEADER]: reason.slice(0, 500),
      [ROUTING_KEY_HEADER]: message.fields.routingKey,
    });
    if (!moved) return;
    count('retried');
    logger.warn('event failed for a transient reason, will retry', { queue, eventId: event.id, type: event.type, correlationId: event.correlationId, retries, retryInMs: delay, error: reason });
  }

  async function park(channel: ConfirmChannel, message: ConsumeMessage, err: unknown, event: EventEnvelope | undefined): Promise<void> {
    const reason = describe(err);
    const moved = await moveTo(channel, parkedQueueOf(queue), message, { [LAST_ERROR_HEADER]: reason.slice(0, 500), [ROUTING_KEY_HEADER]: message.fields.routingKey });
    if (!moved) return;
    count('parked');
    logger.error('event parked for manual review', { queue, eventId: event?.id, type: event?.type, correlationId: event?.correlationId, error: reason, parkedIn: parkedQueueOf(queue) });
  }

  return {
    async stop() {
      closing = true;
      const consuming = current;
      if (consuming) await consuming.channel.cancel(consuming.consumerTag).catch(() => undefined);
      // The message in hand finishes; the ones waiting behind it are skipped and redelivered.
      await chain;
      await wrapper.close();
    },
  };
}

function assertCoversSubscription(subscription: Subscription, byKey: Map<string, unknown>): void {
  const expected = subscription.events.map(routingKeyOf).sort();
  const handled = [...byKey.keys()].sort();
  if (expected.join() !== handled.join()) {
    throw new Error(`consumer of ${subscription.queue} handles [${handled.join(', ')}] but subscribes to [${expected.join(', ')}]`);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

function parse<H extends { contract: EventContract<any> }>(message: ConsumeMessage, handlers: Map<string, H>): { event: EventEnvelope; handler: H } {
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch {
    throw new Unprocessable('message is not JSON');
  }
  const { value: envelope, error } = envelopeSchema.validate(body);
  if (error) throw new Unprocessable(`invalid envelope: ${error.message}`);
  const handler = handlers.get(routingKeyOf(envelope));
  const contract = findContract(envelope.type, envelope.version);
  if (!handler || !contract) throw new Unprocessable(`no handler for ${routingKeyOf(envelope)}`);
  const payload = contract.schema.validate(envelope.data, { abortEarly: false });
  if (payload.error) throw new Unprocessable(`invalid payload: ${payload.error.message}`);
  return { event: { ...envelope, data: payload.value }, handler };
}

export interface BroadcastOptions {
  broker: Broker;
  queue: string;
  handlers: { contract: EventContract<any>; handle(event: EventEnvelope<any>): Promise<void> | void }[];
  logger: Logger;
}

/** A broadcast subscription, and when its queue is bound: from then on nothing published is missed. */
export interface BroadcastConsumer extends Consumer {
  /** Resolves once the queue is declared, bound and consumed (the broker may not be reachable yet). */
  consuming(): Promise<void>;
}

/**
 * A subscription of one process alone, for effects that are idempotent by nature and kept in
 * memory (revoked sessions). No inbox, no retries, no acknowledgements: a failure is logged and
 * dropped. Consuming starts whenever the broker is reachable.
 */
export function startBroadcastConsumer(options: BroadcastOptions): BroadcastConsumer {
  const { broker, queue, logger } = options;
  const byKey = new Map(options.handlers.map((h) => [routingKeyOf(h.contract), h]));
  let current: { channel: Channel; consumerTag: string } | undefined;
  const wrapper = broker.openChannel(`${queue}-broadcast`, async (channel) => {
    await declareBroadcastQueue(channel, queue, [...byKey.keys()]);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        void (async () => {
          try {
            const { event, handler } = parse(message, byKey);
            await handler.handle(event);
          } catch (err) {
            logger.error('broadcast event dropped', { queue, error: String(err) });
          }
        })();
      },
      { noAck: true },
    );
    current = { channel, consumerTag };
  });
  return {
    // The wrapper counts as connected once its setup (declare, bind, consume) has run.
    consuming: () => wrapper.waitForConnect(),
    async stop() {
      const consuming = current;
      if (consuming) await consuming.channel.cancel(consuming.consumerTag).catch(() => undefined);
      await wrapper.close();
    },
  };
}
