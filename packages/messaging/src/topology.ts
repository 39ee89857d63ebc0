import type { ConfirmChannel } from 'amqplib';

/** The one topic exchange every integration event is published to. */
export const EVENTS_EXCHANGE = 'shop.events';

/** Backoff of the three retries: a failed message waits this long in a retry queue, then returns. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 25_000] as const;

export const retryQueueOf = (queue: string, attempt: number) => `${queue}.retry.${attempt}`;
export const parkedQueueOf = (queue: string) => `${queue}.parked`;

export async function declareExchange(channel: ConfirmChannel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
}

/**
 * A durable consumer queue bound to its routing keys, one retry queue per backoff step (its TTL
 * dead-letters the message back into the main queue) and the parking lot `<queue>.parked`.
 */
export async function declareConsumerQueue(
  channel: ConfirmChannel,
  queue: string,
  routingKeys: string[],
  retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
): Promise<void> {
  await declareExchange(channel);
  await channel.assertQueue(queue, { durable: true });
  for (const key of routingKeys) await channel.bindQueue(queue, EVENTS_EXCHANGE, key);
  for (const [index, ttl] of retryDelaysMs.entries()) {
    await channel.assertQueue(retryQueueOf(queue, index + 1), {
      durable: true,
      arguments: { 'x-message-ttl': ttl, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });
  }
  await channel.assertQueue(parkedQueueOf(queue), { durable: true });
}

/** A queue of one process alone (every gateway replica hears every event); gone when it disconnects. */
export async function declareBroadcastQueue(channel: ConfirmChannel, queue: string, routingKeys: string[]): Promise<void> {
  await declareExchange(channel);
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
  for (const key of routingKeys) await channel.bindQueue(queue, EVENTS_EXCHANGE, key);
}
