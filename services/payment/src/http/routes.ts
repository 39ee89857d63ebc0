import type { Router } from 'express';
import type { PaymentDeps } from '../app/deps.js';
import { internalRoutes } from './internal.routes.js';
import { paypalRoutes } from './paypal.routes.js';
import { webhookRoutes } from './webhook.routes.js';

/**
 * Every route of the payment service (public and internal): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: PaymentDeps): void {
  internalRoutes(router, deps);
  paypalRoutes(router, deps);
  webhookRoutes(router, deps);
}
