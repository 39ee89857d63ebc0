import type { Router } from 'express';
import type { CartDeps } from '../app/deps.js';
import { cartRoutes } from './cart.routes.js';
import { internalRoutes } from './internal.routes.js';

/**
 * Every route of the cart service (public and internal): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: CartDeps): void {
  cartRoutes(router, deps);
  internalRoutes(router, deps);
}
