import amqplib from 'amqplib';
import type { EventEnvelope } from '@shop/contracts';
import { eventually } from './wait.js';

/**
 * Listens on the broker as one more consumer would: a queue of its own bound to `shop.events`,
 * so a test sees what was really published (not what sits in an outbox table).
 */
export interface EventTap {
  /** Envelopes received so far, oldest first; of one type when given. */
  events<D = any>(type?: string): EventEnvelope<D>[];
  /** Payloads of one type received so far, optionally only those matching. */
  payloads<D = any>(type: string, match?: (data: D) => boolean): D[];
  /** Waits for an envelope of `type` whose payload matches. */
  waitFor<D = any>(type: string, match?: (data: D) => boolean, timeoutMs?: number): Promise<EventEnvelope<D>>;
  close(): Promise<void>;
}

/** Binds a fresh exclusive queue to `shop.events` for these routing keys (every event by default). */
export async function tapEvents(amqpUrl: string, routingKeys: string[] = ['#']): Promise<EventTap> {
  const connection = await amqplib.connect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange('shop.events', 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  for (const key of routingKeys) await channel.bindQueue(queue, 'shop.events', key);
  const received: EventEnvelope[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (message) received.push(JSON.parse(message.content.toString('utf8')) as EventEnvelope);
    },
    { noAck: true },
  );
  const ofType = (type?: string) => (type === undefined ? received : received.filter((e) => e.type === type));
  return {
    events: <D>(type?: string) => ofType(type) as EventEnvelope<D>[],
    payloads: <D>(type: string, match: (data: D) => boolean = () => true) => (ofType(type) as EventEnvelope<D>[]).map((e) => e.data).filter(match),
    waitFor: <D>(type: string, match: (data: D) => boolean = () => true, timeoutMs = 10_000) =>
      eventually(() => (ofType(type) as EventEnvelope<D>[]).find((e) => match(e.data)), timeoutMs, `a ${type} event`),
    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}
