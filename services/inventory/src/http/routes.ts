import type { Router } from 'express';
import type { InventoryDeps } from '../app/deps.js';
import { internalRoutes } from './internal.routes.js';
import { inventoryRoutes } from './inventory.routes.js';

/**
 * Every route of the inventory service (public and internal): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: InventoryDeps): void {
  inventoryRoutes(router, deps);
  internalRoutes(router, deps);
}
