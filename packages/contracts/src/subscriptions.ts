import { cartExpired } from './cart.events.js';
import { productActivated, productCreated, productDeactivated, productDeleted, productUpdated } from './catalog.events.js';
import {
  customerDataErased,
  customerEmailChanged,
  customerLoggedIn,
  customerProfileUpdated,
  customerRegistered,
  customerSuspended,
  customerVerificationRequested,
} from './customer.events.js';
import type { EventContract } from './define.js';
import { inventoryLowStock, inventoryOutOfStock, inventoryStockChanged } from './inventory.events.js';
import { orderCancelled, orderCarrierUpdateUnmatched, orderDelivered, orderPlaced, orderShipped } from './order.events.js';
import { paymentCaptured, paymentFailed, paymentRefunded, paymentRefundFailed, paymentVoided } from './payment.events.js';

/** A durable queue of one consuming service and purpose, and the events bound to it. */
export interface Subscription {
  /** `<consumer>.<purpose>` (EVENTS.md). */
  readonly queue: string;
  readonly events: readonly EventContract<unknown>[];
}

/**
 * The broker topology, in one place: every durable consumer queue and what it subscribes to.
 * Every process that publishes declares all of it before it publishes anything, so an event
 * reaches a consumer whose service has not started yet (the first deploy, a new service).
 * A consumer starts from its entry here, so its bindings cannot drift from this list.
 */
export const subscriptions = {
  notificationEmails: {
    queue: 'notification.emails',
    events: [
      customerRegistered,
      customerEmailChanged,
      customerVerificationRequested,
      customerProfileUpdated,
      customerSuspended,
      customerDataErased,
      orderPlaced,
      orderShipped,
      orderDelivered,
      orderCancelled,
      orderCarrierUpdateUnmatched,
      paymentRefunded,
      paymentFailed,
      paymentRefundFailed,
      cartExpired,
      inventoryLowStock,
      inventoryOutOfStock,
    ],
  },
  inventoryProductEvents: {
    queue: 'inventory.product-events',
    events: [productCreated, productUpdated],
  },
  catalogStockLevels: {
    queue: 'catalog.stock-levels',
    events: [inventoryStockChanged],
  },
  cartCatalogUpdates: {
    queue: 'cart.catalog-updates',
    events: [productCreated, productUpdated, productActivated, productDeactivated, productDeleted],
  },
  cartStockLevels: {
    queue: 'cart.stock-levels',
    events: [inventoryStockChanged],
  },
  cartCustomerEvents: {
    queue: 'cart.customer-events',
    events: [customerRegistered, customerLoggedIn, customerDataErased],
  },
  paymentOrderEvents: {
    queue: 'payment.order-events',
    events: [orderPlaced, orderCancelled],
  },
  orderPaymentEvents: {
    queue: 'order.payment-events',
    events: [paymentCaptured, paymentFailed, paymentVoided, paymentRefunded, paymentRefundFailed],
  },
  orderCustomerEvents: {
    queue: 'order.customer-events',
    events: [customerDataErased],
  },
  /** The customer service's view of each customer's open orders, for erasure (PENDING_ORDERS_EXIST). */
  customerOrderEvents: {
    queue: 'customer.order-events',
    events: [orderPlaced, orderDelivered, orderCancelled],
  },
} as const satisfies Record<string, Subscription>;

/** Every subscription of the shop. */
export function allSubscriptions(): Subscription[] {
  return Object.values(subscriptions);
}

/** Whether some durable queue subscribes to this event type and version. */
export function hasSubscribers(event: { type: string; version: number }): boolean {
  return allSubscriptions().some((s) => s.events.some((c) => c.type === event.type && c.version === event.version));
}
