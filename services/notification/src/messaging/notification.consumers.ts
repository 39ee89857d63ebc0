import {
  cartExpired,
  customerDataErased,
  customerEmailChanged,
  customerProfileUpdated,
  customerRegistered,
  customerSuspended,
  customerVerificationRequested,
  inventoryLowStock,
  inventoryOutOfStock,
  orderCancelled,
  orderCarrierUpdateUnmatched,
  orderDelivered,
  orderPlaced,
  orderShipped,
  paymentFailed,
  paymentRefunded,
  paymentRefundFailed,
  subscriptions,
} from '@shop/contracts';
import type { Committed } from '@shop/db';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { onCartExpired } from '../app/cart-mails.js';
import { onEmailChanged, onProfileUpdated, onRegistered, onSuspended, onVerificationRequested } from '../app/customer-mails.js';
import { forgetCustomer } from '../app/forget-customer.use-case.js';
import type { MailingDeps } from '../app/mailing.js';
import { onOrderCancelled, onOrderDelivered, onOrderPlaced, onOrderShipped } from '../app/order-mails.js';
import { onPaymentFailed, onRefunded, onRefundFailed } from '../app/payment-mails.js';
import { onLowStock, onOutOfStock, onUnmatchedTracking } from '../app/staff-alerts.js';
import type { NotificationDatabase } from '../db/schema.js';

export interface NotificationConsumerOptions extends MailingDeps {
  /** Called after an event's mails are queued: the dispatcher sends them now instead of at its next poll. */
  mailQueued: (committed: Committed) => void;
}

/**
 * Consumes `notification.emails`: each event becomes its queued mails in the handler's transaction,
 * with the event's inbox entry, so a redelivered event queues no second mail. Every event is a mail
 * to send, so one that arrives after a newer event of its aggregate is handled all the same
 * (`whenStale: 'handle'`); the customer view keeps each field at the newest version that set it.
 */
export function startNotificationConsumer(options: NotificationConsumerOptions, backbone: Backbone<NotificationDatabase>): Consumer {
  const every = { whenStale: 'handle' } as const;
  return startConsumer<NotificationDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: options.logger,
    subscription: subscriptions.notificationEmails,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: options.mailQueued,
    handlers: [
      on(customerRegistered, (event, tx) => onRegistered(options, tx, event), every),
      on(customerEmailChanged, (event, tx) => onEmailChanged(options, tx, event), every),
      on(customerVerificationRequested, (event, tx) => onVerificationRequested(options, tx, event), every),
      on(customerProfileUpdated, (event, tx) => onProfileUpdated(options, tx, event), every),
      on(customerSuspended, (event, tx) => onSuspended(options, tx, event), every),
      on(customerDataErased, (event, tx) => forgetCustomer(options, tx, event), every),
      on(orderPlaced, (event, tx) => onOrderPlaced(options, tx, event), every),
      on(orderShipped, (event, tx) => onOrderShipped(options, tx, event), every),
      on(orderDelivered, (event, tx) => onOrderDelivered(options, tx, event), every),
      on(orderCancelled, (event, tx) => onOrderCancelled(options, tx, event), every),
      on(orderCarrierUpdateUnmatched, (event, tx) => onUnmatchedTracking(options, tx, event), every),
      on(paymentRefunded, (event, tx) => onRefunded(options, tx, event), every),
      on(paymentFailed, (event, tx) => onPaymentFailed(options, tx, event), every),
      on(paymentRefundFailed, (event, tx) => onRefundFailed(options, tx, event), every),
      on(cartExpired, (event, tx) => onCartExpired(options, tx, event), every),
      on(inventoryLowStock, (event, tx) => onLowStock(options, tx, event), every),
      on(inventoryOutOfStock, (event, tx) => onOutOfStock(options, tx, event), every),
    ],
  });
}
