import type { Broker } from './broker.js';
import { EVENTS_EXCHANGE, parkedQueueOf, ROUTING_KEY_HEADER, UNROUTABLE_QUEUE } from './topology.js';

// Bookkeeping of failed attempts; a replayed message starts afresh.
const ATTEMPT_HEADERS = ['x-retries', 'x-first-failed-at', 'x-last-error', ROUTING_KEY_HEADER];

/**
 * Moves up to `limit` messages from one queue to a destination, each republished with confirms
 * before it is taken off the source, so a failure half-way loses nothing (a message may be moved
 * twice; consumers' inboxes make that harmless).
 */
async function move(broker: Broker, source: string, limit: number, destination: (headers: Record<string, unknown>) => { exchange: string; routingKey: string }): Promise<number> {
  // An event published to the exchange that still reaches no queue comes back: it stays kept.
  const returned = new Set<string>();
  const channel = broker.openChannel(`${source}-replay`, async (raw) => {
    raw.on('return', (message: { properties: { messageId?: unknown } }) => returned.add(String(message.properties.messageId)));
  });
  try {
    await channel.waitForConnect();
    // Only what is there now: a message that goes back to the end of the queue is not taken twice.
    const waiting = Math.min(limit, (await channel.checkQueue(source)).messageCount);
    let moved = 0;
    for (let taken = 0; taken < waiting; taken += 1) {
      const message = await channel.get(source);
      if (!message) break;
      const original = message.properties.headers ?? {};
      const target = destination(original);
      const headers = Object.fromEntries(Object.entries(original).filter(([name]) => !ATTEMPT_HEADERS.includes(name)));
      const properties = { ...message.properties, headers, persistent: true };
      await channel.publish(target.exchange, target.routingKey, message.content, { ...properties, mandatory: target.exchange !== '' });
      if (returned.delete(String(message.properties.messageId))) {
        await channel.sendToQueue(UNROUTABLE_QUEUE, message.content, { ...properties, headers: { ...headers, [ROUTING_KEY_HEADER]: target.routingKey } });
        channel.ack(message);
        continue;
      }
      channel.ack(message);
      moved += 1;
    }
    return moved;
  } finally {
    await channel.close();
  }
}

/** Moves up to `limit` messages from `<queue>.parked` back into `<queue>`, once the cause is fixed. */
export function replayParked(broker: Broker, queue: string, limit = 1_000): Promise<number> {
  return move(broker, parkedQueueOf(queue), limit, () => ({ exchange: '', routingKey: queue }));
}

/**
 * Publishes up to `limit` kept unroutable events again to `shop.events` with their routing keys,
 * once the queue that was missing exists: every consumer subscribed now receives them.
 */
export function replayUnroutable(broker: Broker, limit = 1_000): Promise<number> {
  return move(broker, UNROUTABLE_QUEUE, limit, (headers) => ({ exchange: EVENTS_EXCHANGE, routingKey: String(headers[ROUTING_KEY_HEADER]) }));
}

/** How many messages wait in a queue (`<queue>.parked`, `shop.events.unroutable`, ...). */
export async function countMessages(broker: Broker, queue: string): Promise<number> {
  const channel = broker.openChannel(`${queue}-inspect`, async () => {});
  try {
    await channel.waitForConnect();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close();
  }
}

/** How many messages wait in `<queue>.parked`. */
export const countParked = (broker: Broker, queue: string) => countMessages(broker, parkedQueueOf(queue));
