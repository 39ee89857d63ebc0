import type { Router } from 'express';
import { route } from '@shop/platform';
import { browseProducts } from '../app/browse-products.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { getProductDetails } from '../app/get-product-details.use-case.js';
import * as schema from './catalog.schemas.js';

/** What shoppers browse: public, no token needed. */
export function productRoutes(router: Router, deps: CatalogDeps): void {
  router.get('/products', route({ query: schema.browseQuery }, ({ query }) => browseProducts(deps, query)));
  router.get('/products/:id', route({ params: schema.productIdParams }, ({ params }) => getProductDetails(deps, params.id)));
}
