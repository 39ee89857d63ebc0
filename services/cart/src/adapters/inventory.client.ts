import Joi from 'joi';
import { stockFeedPageSchema, type FeedPage, type StockLevelSnapshot } from '@shop/contracts';
import { AppError, createServiceClient, type Logger, type ServiceClient } from '@shop/platform';

/** What the cart asks the inventory service: how much of each variant is available right now. */
export interface StockClient {
  /** Available stock per variant (0 for a variant the inventory does not know). */
  available(variantIds: string[]): Promise<Map<string, number>>;
  /** Pages of every variant's stock level, for filling the read model at start. */
  feed(after: string | undefined, limit: number): Promise<FeedPage<StockLevelSnapshot>>;
  close(): void;
}

const queryAnswer = Joi.object({
  items: Joi.array().items(Joi.object({ variantId: Joi.string().required(), available: Joi.number().integer().required() }).unknown(true)).required(),
}).unknown(true);

/** The inventory service's internal stock routes, behind a timeout and a circuit breaker. */
export function createStockClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): StockClient {
  const client: ServiceClient = createServiceClient({ name: 'inventory', ...options });
  return {
    async available(variantIds) {
      const { status, body } = await client.request<{ items: Array<{ variantId: string; available: number }> }>('POST', '/internal/stock/query', { variantIds });
      const answer = checked<{ items: Array<{ variantId: string; available: number }> }>(status, body, queryAnswer);
      const byVariant = new Map(variantIds.map((id) => [id, 0]));
      for (const item of answer.items) byVariant.set(item.variantId, item.available);
      return byVariant;
    },
    async feed(after, limit) {
      const query = new URLSearchParams({ limit: String(limit), ...(after && { after }) });
      const { status, body } = await client.request('GET', `/internal/stock/feed?${query}`);
      return checked(status, body, stockFeedPageSchema) as FeedPage<StockLevelSnapshot>;
    },
    close: () => client.close(),
  };
}

/** A 200 with the expected shape; anything else from a service we depend on is its failure, not the client's. */
function checked<T>(status: number, body: unknown, schema: Joi.Schema): T {
  const { value, error } = schema.validate(body);
  if (status !== 200 || error) throw new AppError('SERVICE_UNAVAILABLE', `the inventory service answered ${status} unexpectedly`);
  return value as T;
}
