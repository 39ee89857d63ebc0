import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from '@shop/platform';
import type { OutgoingMessage, PublishBatch } from '@shop/db';
import { declareExchange, EVENTS_EXCHANGE } from './topology';

export interface Broker {
  connection: AmqpConnectionManager;
  /** Publishes in order with publisher confirms; fails fast while the broker is unreachable. */
  publish: PublishBatch;
  isConnected(): boolean;
  /** Readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerOptions {
  url: string;
  name: string;
  logger: Logger;
  publishTimeoutMs?: number;
}

/**
 * One connection per process that reconnects by itself (amqp-connection-manager re-runs every
 * channel's setup, so topology and consumers come back after a broker restart).
 */
export function connectBroker(options: BrokerOptions): Broker {
  const { logger } = options;
  const connection = amqp.connect([options.url], {
    heartbeatIntervalInSeconds: 10,
    reconnectTimeInSeconds: 1,
    connectionOptions: { clientProperties: { connection_name: options.name } },
  });
  let connected = false;
  connection.on('connect', () => {
    connected = true;
    logger.info('broker connected');
  });
  connection.on('disconnect', ({ err }) => {
    if (connected) logger.warn('broker disconnected', { error: err?.message });
    connected = false;
  });
  const channel: ChannelWrapper = connection.createChannel({
    name: `${options.name}-publisher`,
    confirm: true,
    publishTimeout: options.publishTimeoutMs ?? 5_000,
    setup: (ch: ConfirmChannel) => declareExchange(ch),
  });

  async function publish(messages: OutgoingMessage[]): Promise<void> {
    if (!connection.isConnected()) throw new Error('broker is not connected');
    await Promise.all(
      messages.map(({ routingKey, envelope }) =>
        channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(JSON.stringify(envelope)), {
          persistent: true,
          contentType: 'application/json',
          messageId: envelope.id,
          type: envelope.type,
          timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
          headers: { 'x-correlation-id': envelope.correlationId },
        }),
      ),
    );
  }

  return {
    connection,
    publish,
    isConnected: () => connection.isConnected(),
    async ping() {
      if (!connection.isConnected()) throw new Error('broker is not connected');
    },
    async close() {
      await channel.close();
      await connection.close();
    },
  };
}
