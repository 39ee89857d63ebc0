import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@shop/messaging';
import { createLogger, createTokenVerifier, startPeriodicJob, type Logger, type PeriodicJob } from '@shop/platform';
import { createCartClient } from './adapters/cart.client.js';
import { createCustomerClient } from './adapters/customer.client.js';
import { createInventoryClient } from './adapters/inventory.client.js';
import { createPaymentClient } from './adapters/payment.client.js';
import { cancelAbandonedOrders } from './app/cancel-abandoned-orders.use-case.js';
import type { OrderDeps } from './app/deps.js';
import { recoverCheckouts } from './app/recover-checkouts.use-case.js';
import type { OrderConfig } from './config.js';
import type { OrderDatabase } from './db/schema.js';
import { mountRoutes } from './http/routes.js';
import { startCustomerConsumer } from './messaging/customer.consumers.js';
import { startPaymentConsumer } from './messaging/payment.consumers.js';

const migrations = { scope: 'order', directory: fileURLToPath(new URL('./db/migrations', import.meta.url)) };

export type RunningOrderService = RunningService<OrderDeps>;

/**
 * The order service: checkout (a saga over the customer, cart, inventory and payment services,
 * each call with a timeout and a breaker), the customer's orders, confirmation when the payment is
 * captured, and the recovery worker that finishes checkouts a crash or a failing service left
 * half-way.
 */
export function startOrderService(config: Readonly<OrderConfig>, logger: Logger = createLogger('order', config.LOG_LEVEL), signal?: AbortSignal): Promise<RunningOrderService> {
  const call = { timeoutMs: config.SERVICE_CALL_TIMEOUT_MS, logger };
  let abandonedOrders: PeriodicJob | undefined;
  return startService<OrderDatabase, OrderDeps>({
    name: 'order',
    config,
    migrations,
    logger,
    signal,
    build: ({ db, outbox, transaction }) => ({
      db,
      transaction,
      outbox,
      config,
      verifyToken: createTokenVerifier(new URL(config.JWKS_URL)),
      customers: createCustomerClient({ baseUrl: config.CUSTOMER_SERVICE_URL, ...call }),
      carts: createCartClient({ baseUrl: config.CART_SERVICE_URL, ...call }),
      inventory: createInventoryClient({ baseUrl: config.INVENTORY_SERVICE_URL, ...call }),
      payments: createPaymentClient({ baseUrl: config.PAYMENT_SERVICE_URL, timeoutMs: config.PAYMENT_CALL_TIMEOUT_MS, logger }),
      logger,
      now: () => new Date(),
      wakeAbandonedOrders: () => abandonedOrders?.wake(),
    }),
    routes: mountRoutes,
    background(deps, backbone) {
      abandonedOrders = startPeriodicJob({
        name: 'cancel orders whose PayPal approval was not given',
        intervalMs: config.CHECKOUT_RECOVERY_INTERVAL_MS,
        logger,
        runAtStart: true,
        run: async () => {
          const cancelled = await cancelAbandonedOrders(deps);
          if (cancelled > 0) logger.info('abandoned orders cancelled', { cancelled });
        },
      });
      return [
        {
          async stop() {
            for (const client of [deps.customers, deps.carts, deps.inventory, deps.payments]) client.close();
          },
        },
        startPaymentConsumer(deps, backbone),
        startCustomerConsumer(deps, backbone),
        abandonedOrders,
        startPeriodicJob({
          name: 'recover unfinished checkouts',
          intervalMs: config.CHECKOUT_RECOVERY_INTERVAL_MS,
          logger,
          runAtStart: true,
          run: async () => {
            const done = await recoverCheckouts(deps);
            if (done.completed + done.compensated + done.unfinished > 0) logger.info('unfinished checkouts recovered', done);
          },
        }),
      ];
    },
  });
}
