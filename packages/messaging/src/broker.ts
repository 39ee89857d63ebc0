import amqp, { type AmqpConnectionManager, type ChannelWrapper, type SetupFunc } from 'amqp-connection-manager';
import type { ConfirmChannel, Message } from 'amqplib';
import { hasSubscribers } from '@shop/contracts';
import type { Logger } from '@shop/platform';
import type { OutgoingMessage, PublishBatch } from '@shop/db';
import { createMessagingMetrics, type MessagingMetrics } from './metrics.js';
import { declareTopology, EVENTS_EXCHANGE, ROUTING_KEY_HEADER, UNROUTABLE_QUEUE } from './topology.js';

export interface Broker {
  connection: AmqpConnectionManager;
  /** Publishes in order with publisher confirms; fails fast while the broker is unreachable. */
  publish: PublishBatch;
  /** A channel that survives reconnects and whose every error is heard (see `openChannel`). */
  openChannel(name: string, setup: (channel: ConfirmChannel) => Promise<void>): ChannelWrapper;
  metrics: MessagingMetrics;
  logger: Logger;
  isConnected(): boolean;
  /** Resolves once the publisher channel is open and has declared the topology. */
  topologyDeclared(): Promise<void>;
  /** Readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerOptions {
  url: string;
  name: string;
  logger: Logger;
  publishTimeoutMs?: number;
  metrics?: MessagingMetrics;
}

/**
 * One connection per process that reconnects by itself (amqp-connection-manager re-runs every
 * channel's setup, so topology and consumers come back after a broker restart). The publisher
 * channel declares the shop's whole topology before anything is published, and publishes an event
 * a subscription expects with `mandatory`: if no queue took it, it comes back and is kept in
 * `shop.events.unroutable` for replay. An event no subscription wants is counted and sent without.
 */
export function connectBroker(options: BrokerOptions): Broker {
  const { logger } = options;
  const metrics = options.metrics ?? createMessagingMetrics();
  const connection = amqp.connect([options.url], {
    heartbeatIntervalInSeconds: 10,
    reconnectTimeInSeconds: 1,
    connectionOptions: { clientProperties: { connection_name: options.name } },
  });
  let connected = false;
  let closing = false;
  let failedSince: number | undefined;
  connection.on('connect', () => {
    connected = true;
    failedSince = undefined;
    logger.info('broker connected');
  });
  connection.on('disconnect', ({ err }) => {
    if (connected) logger.warn('broker disconnected', { error: err?.message });
    connected = false;
  });
  connection.on('connectFailed', ({ err }) => {
    // Logged once per outage, then once a minute: the manager retries every second.
    const now = Date.now();
    if (failedSince === undefined || now - failedSince > 60_000) {
      failedSince = now;
      logger.warn('broker unreachable, retrying', { error: err?.message });
    }
  });
  connection.on('blocked', ({ reason }) => logger.warn('broker blocked publishing', { reason }));

  let reconnectQueued = false;
  /**
   * A channel the broker closed with an error (a refused declaration, an unknown delivery tag) is
   * not re-created until the connection is: reconnect, so no channel stays dead while the
   * process looks healthy.
   */
  function recoverChannel(name: string) {
    if (closing || reconnectQueued || !connection.isConnected()) return;
    reconnectQueued = true;
    logger.warn('broker channel lost, reconnecting', { channel: name });
    setTimeout(() => {
      reconnectQueued = false;
      if (!closing) connection.reconnect();
    }, 1_000).unref();
  }

  function openChannel(name: string, setup: (channel: ConfirmChannel) => Promise<void>): ChannelWrapper {
    let wrapperClosed = false;
    const wrapper = connection.createChannel({
      name,
      confirm: true,
      setup: (async (channel: ConfirmChannel) => {
        channel.on('error', (err: Error) => {
          if (!closing) logger.error('broker channel error', { channel: name, error: err.message });
        });
        channel.on('close', () => {
          if (!wrapperClosed) recoverChannel(name);
        });
        await setup(channel);
      }) as SetupFunc,
    });
    wrapper.on('error', (err: Error) => {
      // A setup cut short by our own close is no failure.
      if (!closing) logger.error('broker channel setup failed', { channel: name, error: err.message });
    });
    wrapper.on('close', () => {
      wrapperClosed = true;
    });
    return wrapper;
  }

  // Returned messages of the publisher channel, by message id, until their batch looks at them.
  const returned = new Map<string, Message>();
  const publisher = openChannel(`${options.name}-publisher`, async (channel) => {
    channel.on('return', (message: Message) => {
      if (message.properties.messageId) returned.set(String(message.properties.messageId), message);
    });
    await declareTopology(channel);
  });

  async function keepUnroutable(messages: OutgoingMessage[]): Promise<void> {
    for (const { routingKey, envelope } of messages) {
      const message = returned.get(envelope.id);
      if (!message) continue;
      returned.delete(envelope.id);
      // The row is marked sent only after this copy is confirmed: nothing a subscriber expects is lost.
      await publisher.sendToQueue(UNROUTABLE_QUEUE, message.content, {
        ...message.properties,
        persistent: true,
        headers: { ...message.properties.headers, [ROUTING_KEY_HEADER]: routingKey },
      });
      metrics.unroutable.inc({ type: envelope.type, outcome: 'kept' });
      logger.error('event reached no queue; kept for replay', { eventId: envelope.id, type: envelope.type, routingKey, keptIn: UNROUTABLE_QUEUE });
    }
  }

  // Whether a subscription expects an event, by routing key: the topology is fixed at build time.
  const expectedByKey = new Map<string, boolean>();
  const isExpected = ({ routingKey, envelope }: OutgoingMessage) => {
    let expected = expectedByKey.get(routingKey);
    if (expected === undefined) expectedByKey.set(routingKey, (expected = hasSubscribers(envelope)));
    return expected;
  };

  async function publish(messages: OutgoingMessage[]): Promise<void> {
    if (!connection.isConnected()) throw new Error('broker is not connected');
    await Promise.all(
      messages.map((message) =>
        publisher.publish(EVENTS_EXCHANGE, message.routingKey, Buffer.from(JSON.stringify(message.envelope)), {
          persistent: true,
          // An event no subscription wants would only come back to be dropped: it goes without.
          mandatory: isExpected(message),
          contentType: 'application/json',
          messageId: message.envelope.id,
          type: message.envelope.type,
          timestamp: Math.floor(Date.parse(message.envelope.occurredAt) / 1000),
          headers: { 'x-correlation-id': message.envelope.correlationId },
        }),
      ),
    );
    for (const message of messages) if (!isExpected(message)) metrics.unroutable.inc({ type: message.envelope.type, outcome: 'no-subscriber' });
    // RabbitMQ returns an unroutable message before it confirms it, so every return is in by now.
    if (returned.size > 0) await keepUnroutable(messages);
  }

  return {
    connection,
    publish,
    topologyDeclared: () => publisher.waitForConnect(),
    openChannel,
    metrics,
    logger,
    isConnected: () => connection.isConnected(),
    async ping() {
      if (!connection.isConnected()) throw new Error('broker is not connected');
    },
    async close() {
      closing = true;
      await publisher.close();
      await connection.close();
    },
  };
}
