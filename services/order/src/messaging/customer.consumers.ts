import { customerDataErased, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { anonymizeCustomerOrders } from '../app/anonymize-customer-orders.use-case.js';
import type { OrderDeps } from '../app/deps.js';
import type { OrderDatabase } from '../db/schema.js';

/**
 * Consumes `order.customer-events`: an erased customer's orders and checkouts are anonymized. The
 * inbox records each event id in the handler's transaction, so a redelivery changes nothing.
 */
export function startCustomerConsumer(deps: OrderDeps, backbone: Backbone<OrderDatabase>): Consumer {
  return startConsumer<OrderDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.orderCustomerEvents,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: backbone.relay.wake,
    handlers: [on(customerDataErased, (event, tx) => anonymizeCustomerOrders(deps, tx, event.data))],
  });
}
