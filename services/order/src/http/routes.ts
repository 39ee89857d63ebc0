import type { Router } from 'express';
import type { OrderDeps } from '../app/deps.js';
import { adminOrderRoutes } from './admin-order.routes.js';
import { carrierWebhookRoutes } from './carrier-webhook.routes.js';
import { orderRoutes } from './order.routes.js';

/**
 * Every route of the order service (all public): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: OrderDeps): void {
  orderRoutes(router, deps);
  adminOrderRoutes(router, deps);
  carrierWebhookRoutes(router, deps);
}
