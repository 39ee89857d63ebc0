import type { Router } from 'express';
import { mountRoutes as cartRoutes } from '@shop/cart/src/http/routes';
import { mountRoutes as catalogRoutes } from '@shop/catalog/src/http/routes';
import { mountRoutes as customerRoutes } from '@shop/customer/src/http/routes';
import type { UpstreamKey } from '@shop/gateway/src/config';
import { mountRoutes as inventoryRoutes } from '@shop/inventory/src/http/routes';
import { mountRoutes as notificationRoutes } from '@shop/notification/src/http/routes';
import { mountRoutes as orderRoutes } from '@shop/order/src/http/routes';
import { mountRoutes as paymentRoutes } from '@shop/payment/src/http/routes';
import { describeRoutes, type DescribedRoute } from '@shop/platform';

/** A service behind the gateway: the config key the route table names it by, and every route it serves. */
export interface ServiceRoutes {
  /** The service's name: `customer`, `catalog`, ... (also the `source` of the events it publishes). */
  name: string;
  upstream: UpstreamKey;
  /** The group its public routes are listed under in the API document. */
  tag: { name: string; description: string };
  routes: DescribedRoute[];
}

/** Mounting only registers handlers; nothing reads the dependencies until a request comes. */
const described = (mount: (router: Router, deps: never) => void) => describeRoutes((router) => mount(router, {} as never));

/** Every service with an HTTP API, and the routes it serves (public and internal), read from its own router. */
export function serviceRoutes(): ServiceRoutes[] {
  return [
    {
      name: 'customer',
      upstream: 'CUSTOMER_SERVICE_URL',
      tag: { name: 'customers', description: 'Accounts, e-mail verification, sessions, addresses, erasure; staff administration of customers' },
      routes: described(customerRoutes),
    },
    {
      name: 'catalog',
      upstream: 'CATALOG_SERVICE_URL',
      tag: { name: 'catalog', description: 'Categories and products with their variants and prices; staff management of both' },
      routes: described(catalogRoutes),
    },
    {
      name: 'inventory',
      upstream: 'INVENTORY_SERVICE_URL',
      tag: { name: 'inventory', description: 'Stock per variant: staff changes with an audit trail' },
      routes: described(inventoryRoutes),
    },
    {
      name: 'cart',
      upstream: 'CART_SERVICE_URL',
      tag: { name: 'cart', description: "A signed-in customer's cart, or a guest's by its X-Cart-Token" },
      routes: described(cartRoutes),
    },
    {
      name: 'order',
      upstream: 'ORDER_SERVICE_URL',
      tag: { name: 'orders', description: "Checkout, the customer's orders, staff fulfilment, the carrier's webhook" },
      routes: described(orderRoutes),
    },
    {
      name: 'payment',
      upstream: 'PAYMENT_SERVICE_URL',
      tag: { name: 'payments', description: "PayPal-style approval pages, the payment provider's webhook" },
      routes: described(paymentRoutes),
    },
    {
      name: 'notification',
      upstream: 'NOTIFICATION_SERVICE_URL',
      tag: { name: 'notifications', description: 'Staff review of the e-mails sent, and retries of failed ones' },
      routes: described(notificationRoutes),
    },
  ];
}
