import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { envelopeSchema, findContract, routingKeyOf, type EventContract, type EventEnvelope } from '@shop/contracts';
import { runInContext, type Logger } from '@shop/platform';
import type { Broker } from './broker';
import { declareBroadcastQueue, declareConsumerQueue, parkedQueueOf, RETRY_DELAYS_MS, retryQueueOf } from './topology';

/** Applies one event inside the transaction that also records it in the inbox. */
export interface EventHandler<D = any> {
  contract: EventContract<D>;
  handle(event: EventEnvelope<D>, tx: Transaction<any>): Promise<void>;
}

/** Pairs a contract with its handler, keeping the payload type. */
export function on<D>(contract: EventContract<D>, handle: EventHandler<D>['handle']): EventHandler<D> {
  return { contract, handle };
}

export interface ConsumerOptions {
  broker: Broker;
  /** `<consumer>.<purpose>`, e.g. `notification.emails`; also the inbox's consumer name. */
  queue: string;
  handlers: EventHandler[];
  /** The consuming service's database, where the inbox and the handler's effects live. */
  db: Kysely<any>;
  logger: Logger;
  prefetch?: number;
  /** Waits before each retry; a queue keeps the delays it was first declared with. */
  retryDelaysMs?: readonly number[];
  /** Called after a handler's transaction commits: wakes the outbox relay for events it wrote. */
  afterCommit?: () => void;
  /** How long start-up waits for the queue to be consumed before going on without it. */
  startTimeoutMs?: number;
}

export interface Consumer {
  close(): Promise<void>;
}

/** A message that can never succeed (bad JSON, envelope or payload): parked at once, not retried. */
class Unprocessable extends Error {}

const RETRY_HEADER = 'x-retries';

/**
 * Consumes a durable queue: validates envelope and payload, applies each event exactly once (the
 * event id goes into the inbox in the handler's transaction, so a redelivery is a no-op), retries
 * a failing handler after 1 s, 5 s and 25 s, then parks the message in `<queue>.parked`.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { broker, queue, db, logger } = options;
  const retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const byKey = new Map(options.handlers.map((h) => [routingKeyOf(h.contract), h]));
  const channel = broker.connection.createChannel({
    name: `${queue}-consumer`,
    confirm: true,
    setup: (ch: ConfirmChannel) => declareConsumerQueue(ch, queue, [...byKey.keys()], retryDelaysMs),
  });

  async function apply(event: EventEnvelope, handler: EventHandler): Promise<'applied' | 'duplicate'> {
    return db.transaction().execute(async (tx) => {
      const inserted = await sql`INSERT INTO inbox (consumer, event_id, event_type) VALUES (${queue}, ${event.id}, ${event.type})
        ON CONFLICT DO NOTHING`.execute(tx);
      if (Number(inserted.numAffectedRows ?? 0) === 0) return 'duplicate';
      await handler.handle(event, tx);
      return 'applied';
    });
  }

  async function onMessage(message: ConsumeMessage): Promise<void> {
    let event: EventEnvelope | undefined;
    try {
      const parsed = parse(message, byKey);
      event = parsed.event;
      const current = event;
      const outcome = await runInContext({ correlationId: current.correlationId, causationId: current.id }, () => apply(current, parsed.handler));
      if (outcome === 'applied') options.afterCommit?.();
      logger.debug('event handled', { queue, eventId: current.id, type: current.type, outcome, correlationId: current.correlationId });
      channel.ack(message);
    } catch (err) {
      await retryOrPark(channel, queue, message, err, logger, event, retryDelaysMs);
    }
  }

  // Messages are handled one after another, in delivery order; prefetch only saves round trips.
  let previous = Promise.resolve();
  const consuming = channel
    .waitForConnect()
    .then(() => channel.consume(queue, (message) => (previous = previous.then(() => onMessage(message))), { prefetch: options.prefetch ?? 10 }))
    .then(() => true)
    .catch((err: unknown) => {
      logger.error('could not start consuming', { queue, error: String(err) });
      return false;
    });
  // With the broker down the service still starts: consuming begins whenever the connection is up.
  if (!(await settledWithin(consuming, options.startTimeoutMs ?? 5_000))) logger.warn('broker unreachable; consuming starts once it is back', { queue });
  return {
    async close() {
      await channel.cancelAll();
      // Let the message in hand finish, so shutdown never interrupts a handler half-way.
      await previous;
      await channel.close();
    },
  };
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

async function retryOrPark(
  channel: ChannelWrapper,
  queue: string,
  message: ConsumeMessage,
  err: unknown,
  logger: Logger,
  event: EventEnvelope | undefined,
  retryDelaysMs: readonly number[],
): Promise<void> {
  const retries = Number(message.properties.headers?.[RETRY_HEADER] ?? 0);
  const reason = err instanceof Error ? err.message : String(err);
  const park = err instanceof Unprocessable || retries >= retryDelaysMs.length;
  const target = park ? parkedQueueOf(queue) : retryQueueOf(queue, retries + 1);
  const meta = { queue, eventId: event?.id, type: event?.type, correlationId: event?.correlationId, retries, error: reason };
  try {
    await channel.sendToQueue(target, message.content, {
      ...message.properties,
      persistent: true,
      headers: { ...message.properties.headers, [RETRY_HEADER]: park ? retries : retries + 1, 'x-last-error': reason.slice(0, 500) },
    });
    if (park) logger.error('event parked for manual review', { ...meta, parkedIn: target });
    else logger.warn('event handler failed, will retry', { ...meta, retryIn: retryDelaysMs[retries] });
    channel.ack(message);
  } catch (publishError) {
    // Could not move it aside: give it back to the broker rather than lose it.
    logger.error('could not schedule retry, requeueing', { ...meta, publishError: String(publishError) });
    channel.nack(message, false, true);
  }
}

export interface BroadcastOptions {
  broker: Broker;
  queue: string;
  handlers: { contract: EventContract<any>; handle(event: EventEnvelope<any>): Promise<void> | void }[];
  logger: Logger;
}

/**
 * A subscription of one process alone, for effects that are idempotent by nature and kept in
 * memory (the gateway's revoked sessions). No inbox, no retries: a failure is logged and dropped.
 */
export async function startBroadcastConsumer(options: BroadcastOptions): Promise<Consumer> {
  const { broker, queue, logger } = options;
  const byKey = new Map(options.handlers.map((h) => [routingKeyOf(h.contract), h]));
  const channel = broker.connection.createChannel({
    name: `${queue}-broadcast`,
    setup: (ch: ConfirmChannel) => declareBroadcastQueue(ch, queue, [...byKey.keys()]),
  });
  await channel.waitForConnect();
  await channel.consume(
    queue,
    async (message) => {
      try {
        const { event, handler } = parse(message, byKey);
        await handler.handle(event);
      } catch (err) {
        logger.error('broadcast event dropped', { queue, error: String(err) });
      }
      channel.ack(message);
    },
    { prefetch: 50 },
  );
  return {
    async close() {
      await channel.cancelAll();
      await channel.close();
    },
  };
}

/** Whether the promise resolved to true within `ms`; it keeps running either way. */
async function settledWithin(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
