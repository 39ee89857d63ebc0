import { productFeedPageSchema, type FeedPage, type ProductSnapshot } from '@shop/contracts';
import { createServiceClient, type Logger } from '@shop/platform';

/** `GET /internal/products/feed` of the catalog service, a page at a time. */
export interface CatalogFeed {
  /** The page of products after this product id (from the first product when null). */
  page(after: string | null): Promise<FeedPage<ProductSnapshot>>;
  close(): void;
}

export interface CatalogFeedOptions {
  baseUrl: string;
  /** Products per page (1-500). */
  pageSize: number;
  logger: Logger;
}

/**
 * A client of the catalog's product feed over the shared service client (timeout and circuit
 * breaker). A refused connection, a timeout or a 5xx throws SERVICE_UNAVAILABLE (transient); any
 * other answer than a valid page throws a plain error.
 */
export function createCatalogFeedClient(options: CatalogFeedOptions): CatalogFeed {
  const client = createServiceClient({ name: 'catalog', baseUrl: options.baseUrl, timeoutMs: 5000, logger: options.logger });
  return {
    async page(after) {
      const query = new URLSearchParams({ limit: String(options.pageSize) });
      if (after !== null) query.set('after', after);
      const response = await client.request('GET', `/internal/products/feed?${query}`);
      if (response.status !== 200) throw new Error(`the catalog's product feed answered ${response.status}`);
      const { value, error } = productFeedPageSchema.validate(response.body, { stripUnknown: true });
      if (error) throw new Error(`the catalog's product feed answered an invalid page: ${error.message}`);
      return value;
    },
    close: () => client.close(),
  };
}
