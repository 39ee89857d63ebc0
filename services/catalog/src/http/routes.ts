import type { Router } from 'express';
import type { CatalogDeps } from '../app/deps.js';
import { adminRoutes } from './admin.routes.js';
import { categoryRoutes } from './category.routes.js';
import { internalRoutes } from './internal.routes.js';
import { productRoutes } from './product.routes.js';

/**
 * Every route of the catalog service (public and internal): what the service mounts, and what the API
 * documents are built from (the gateway's route table decides which of them are public).
 */
export function mountRoutes(router: Router, deps: CatalogDeps): void {
  categoryRoutes(router, deps);
  productRoutes(router, deps);
  adminRoutes(router, deps);
  internalRoutes(router, deps);
}
