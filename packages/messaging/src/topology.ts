import type { Channel } from 'amqplib';
import { allSubscriptions, routingKeyOf, type Subscription } from '@shop/contracts';

/** The one topic exchange every integration event is published to. */
export const EVENTS_EXCHANGE = 'shop.events';

/**
 * Where an event that a subscription expects but no queue took (an operator deleted a queue, a
 * consumer's topology is not declared yet) is kept for replay, instead of being dropped.
 */
export const UNROUTABLE_QUEUE = 'shop.events.unroutable';

/** Header naming the routing key a kept or parked message was published with. */
export const ROUTING_KEY_HEADER = 'x-routing-key';

/**
 * A retry queue per delay, named by it: a message waits there for its TTL and dead-letters back
 * into the main queue. Named by the delay, so changing the retry ladder declares new queues
 * instead of re-declaring old ones with other arguments (which RabbitMQ refuses).
 */
export const retryQueueOf = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms`;
export const parkedQueueOf = (queue: string) => `${queue}.parked`;

export async function declareExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
}

/** A subscription's durable queue, its bindings and its parking lot: declared alike by publishers and its consumer. */
export async function declareSubscription(channel: Channel, subscription: Subscription): Promise<void> {
  await channel.assertQueue(subscription.queue, { durable: true });
  for (const contract of subscription.events) await channel.bindQueue(subscription.queue, EVENTS_EXCHANGE, routingKeyOf(contract));
  await channel.assertQueue(parkedQueueOf(subscription.queue), { durable: true });
}

/**
 * The whole topology of the shop, from the subscriptions in contracts: declared by every process
 * that publishes before it publishes anything, so an event finds the queue of a consumer that has
 * never run yet.
 */
export async function declareTopology(channel: Channel, subscriptions: readonly Subscription[] = allSubscriptions()): Promise<void> {
  await declareExchange(channel);
  await channel.assertQueue(UNROUTABLE_QUEUE, { durable: true });
  for (const subscription of subscriptions) await declareSubscription(channel, subscription);
}

/** One retry queue per distinct delay of the ladder. */
export async function declareRetryQueues(channel: Channel, queue: string, delaysMs: readonly number[]): Promise<void> {
  for (const delay of new Set(delaysMs)) {
    await channel.assertQueue(retryQueueOf(queue, delay), {
      durable: true,
      arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });
  }
}

/** A queue of one process alone (every gateway replica hears every event); gone when it disconnects. */
export async function declareBroadcastQueue(channel: Channel, queue: string, routingKeys: string[]): Promise<void> {
  await declareExchange(channel);
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
  for (const key of routingKeys) await channel.bindQueue(queue, EVENTS_EXCHANGE, key);
}
