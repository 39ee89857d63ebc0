import { orderCancelled, orderDelivered, orderPlaced, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import type { CustomerDeps } from '../app/deps.js';
import { trackOrder } from '../app/track-order.use-case.js';
import type { CustomerDatabase } from '../db/schema.js';

/**
 * Consumes `customer.order-events`: each customer's open orders, so an erasure can be refused
 * while one is not delivered or cancelled without asking the order service. The inbox records
 * each event id in the handler's transaction, so a redelivery changes nothing, and an event older
 * than one applied for its order is skipped.
 */
export function startOrderConsumer(deps: CustomerDeps, backbone: Backbone<CustomerDatabase>): Consumer {
  return startConsumer<CustomerDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.customerOrderEvents,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: backbone.relay.wake,
    handlers: [
      on(orderPlaced, (event, tx) => trackOrder(deps, tx, event.data, 'placed')),
      on(orderDelivered, (event, tx) => trackOrder(deps, tx, event.data, 'delivered')),
      on(orderCancelled, (event, tx) => trackOrder(deps, tx, event.data, 'cancelled')),
    ],
  });
}
