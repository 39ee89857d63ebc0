import type { Router } from 'express';
import { route } from '@shop/platform';
import { browseProducts } from '../app/browse-products.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { getProductDetails } from '../app/get-product-details.use-case.js';
import * as schema from './catalog.schemas.js';

/** What shoppers browse: public, no token needed. */
export function productRoutes(router: Router, deps: CatalogDeps): void {
  router.get(
    '/products',
    route(
      {
        query: schema.browseQuery,
        response: schema.productListResponse,
        doc: {
          summary: 'Browse active products: a category and its sub-categories, a search, a price range (minor units), sorted, paginated',
          description: 'Each item carries its price and stockStatus. An unknown category matches nothing.',
        },
      },
      ({ query }) => browseProducts(deps, query),
    ),
  );
  router.get(
    '/products/:id',
    route(
      {
        params: schema.productIdParams,
        response: schema.productDetailsResponse,
        doc: { summary: 'A product: description, category, variants with their own price and stock status', errors: ['PRODUCT_NOT_FOUND'] },
      },
      ({ params }) => getProductDetails(deps, params.id),
    ),
  );
}
