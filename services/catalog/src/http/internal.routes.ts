import type { Router } from 'express';
import { route } from '@shop/platform';
import type { CatalogDeps } from '../app/deps.js';
import { getProductFeed } from '../app/get-product-feed.use-case.js';
import * as schema from './catalog.schemas.js';

/** Service-to-service routes; the gateway never routes `/internal`, so only the internal network reaches them. */
export function internalRoutes(router: Router, deps: CatalogDeps): void {
  router.get('/internal/products/feed', route({ query: schema.productFeedQuery }, ({ query }) => getProductFeed(deps, query)));
}
