import { productFeedPageSchema, type FeedPage, type ProductSnapshot } from '@shop/contracts';
import { AppError, createServiceClient, type Logger } from '@shop/platform';

/** The catalog service's internal product feed: every product, a page at a time, for filling the read model. */
export interface CatalogFeedClient {
  page(after: string | undefined, limit: number): Promise<FeedPage<ProductSnapshot>>;
  close(): void;
}

export function createCatalogFeedClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): CatalogFeedClient {
  const client = createServiceClient({ name: 'catalog', ...options });
  return {
    async page(after, limit) {
      const query = new URLSearchParams({ limit: String(limit), ...(after && { after }) });
      const { status, body } = await client.request('GET', `/internal/products/feed?${query}`);
      const { value, error } = productFeedPageSchema.validate(body, { stripUnknown: true });
      if (status !== 200 || error) throw new AppError('SERVICE_UNAVAILABLE', `the catalog feed answered ${status} unexpectedly`);
      return value;
    },
    close: () => client.close(),
  };
}
