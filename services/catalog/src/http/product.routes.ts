import type { Router } from 'express';
import { cachedRoute } from '@shop/platform';
import { browseProducts, type BrowseProductsInput } from '../app/browse-products.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { getProductDetails } from '../app/get-product-details.use-case.js';
import * as schema from './catalog.schemas.js';

/** What shoppers browse: public, no token needed, answered from the replica's answer cache. */
export function productRoutes(router: Router, deps: CatalogDeps): void {
  router.get(
    '/products',
    cachedRoute(
      () => deps.answers,
      {
        query: schema.browseQuery,
        response: schema.productListResponse,
        doc: {
          summary: 'Browse active products: a category and its sub-categories, a search, a price range (minor units), sorted, paginated',
          description: 'Each item carries its price and stockStatus. An unknown category matches nothing.',
        },
        key: ({ query }) => listingKey(query),
      },
      ({ query }) => browseProducts(deps, query),
    ),
  );
  router.get(
    '/products/:id',
    cachedRoute(
      () => deps.answers,
      {
        params: schema.productIdParams,
        response: schema.productDetailsResponse,
        doc: { summary: 'A product: description, category, variants with their own price and stock status', errors: ['PRODUCT_NOT_FOUND'] },
        key: ({ params }) => `product ${params.id.toLowerCase()}`,
      },
      ({ params }) => getProductDetails(deps, params.id),
    ),
  );
}

/**
 * The validated query (defaults filled in) in a fixed order, so every spelling of one listing
 * shares an entry: `?sort=-createdAt&page=1` is the plain `/products`. A blank search is none.
 */
function listingKey(query: BrowseProductsInput): string {
  return `products ${JSON.stringify([query.categoryId?.toLowerCase(), query.q || undefined, query.minPrice, query.maxPrice, query.sort, query.page, query.pageSize])}`;
}
