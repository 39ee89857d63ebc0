import type { Router } from 'express';
import type { CustomerDeps } from '../app/deps.js';
import { adminRoutes } from './admin.routes.js';
import { authRoutes } from './auth.routes.js';
import { customerRoutes } from './customer.routes.js';
import { internalRoutes } from './internal.routes.js';

/**
 * Every route of the customer service (public and internal): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: CustomerDeps): void {
  customerRoutes(router, deps);
  authRoutes(router, deps);
  adminRoutes(router, deps);
  internalRoutes(router, deps);
}
