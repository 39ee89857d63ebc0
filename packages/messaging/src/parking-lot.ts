import type { Broker } from './broker';
import { parkedQueueOf } from './topology';

/**
 * Moves up to `limit` messages from `<queue>.parked` back into `<queue>`, with their retry count
 * reset, once the cause is fixed. Each is republished with confirms before it is taken off the
 * parking lot, so a failure half-way loses nothing (a message may be replayed twice; the
 * consumer's inbox makes that harmless).
 */
export async function replayParked(broker: Broker, queue: string, limit = 1_000): Promise<number> {
  const channel = broker.connection.createChannel({ name: `${queue}-replay`, confirm: true });
  try {
    await channel.waitForConnect();
    let replayed = 0;
    while (replayed < limit) {
      const message = await channel.get(parkedQueueOf(queue));
      if (!message) break;
      const { 'x-retries': _retries, 'x-last-error': _error, ...headers } = message.properties.headers ?? {};
      await channel.sendToQueue(queue, message.content, { ...message.properties, headers, persistent: true });
      channel.ack(message);
      replayed += 1;
    }
    return replayed;
  } finally {
    await channel.close();
  }
}

/** How many messages wait in `<queue>.parked`. */
export async function countParked(broker: Broker, queue: string): Promise<number> {
  const channel = broker.connection.createChannel({ name: `${queue}-inspect` });
  try {
    await channel.waitForConnect();
    return (await channel.checkQueue(parkedQueueOf(queue))).messageCount;
  } finally {
    await channel.close();
  }
}
