import { randomUUID } from 'node:crypto';
import { productCreated, routingKeyOf, type EventContract, type EventEnvelope, type ProductCreatedV1 } from '@shop/contracts';
import { buildEnvelope } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { eventually, httpClient, publishedEvents, startTokenIssuer, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type HttpClient, type TokenIssuer } from '@shop/testkit';
import { loadInventoryConfig } from '../src/config';
import { findStockByVariant } from '../src/db/stock.repository';
import { startInventoryService, type RunningInventoryService } from '../src/service';

export interface InventoryFixture {
  service: RunningInventoryService;
  api: HttpClient;
  issuer: TokenIssuer;
  adminId: string;
  /** Bearer token of an admin (role admin, customerId `adminId`). */
  adminToken: string;
  /** Bearer token of a plain customer. */
  customerToken: string;
  /** A valid product.created payload for a new product with this many variants (default 1). */
  productCreatedData(options?: { initialStock?: number; variants?: number; name?: string }): ProductCreatedV1;
  /** Publishes an envelope to the broker as the catalog's relay would. */
  publish(envelope: EventEnvelope): Promise<void>;
  /** A new product published as product.created; resolves once the consumer has created its stock rows. `skus` go with `variantIds`, in order. */
  createProduct(options?: { initialStock?: number; variants?: number; name?: string }): Promise<{ productId: string; variantIds: string[]; skus: string[] }>;
  /** An envelope of a catalog product event, at a product version (1 unless given). */
  productEvent<D>(contract: EventContract<D>, data: D & { productId: string }, version?: number): EventEnvelope<D>;
  /** Payloads of the events of a type the service published (seen on the broker), oldest first; with a variantId, only those about that variant. */
  events(type: string, variantId?: string): Promise<Array<Record<string, any>>>;
  stop(): Promise<void>;
}

export async function startInventoryFixture(env: Record<string, string> = {}): Promise<InventoryFixture> {
  const issuer = await startTokenIssuer();
  const amqpUrl = await testAmqpUrl();
  const config = loadInventoryConfig({
    DATABASE_URL: testDatabaseUrl('inventory'),
    AMQP_URL: amqpUrl,
    PORT: '0',
    JWKS_URL: issuer.jwksUrl,
    // No catalog runs beside most tests; the backfill tests turn it on and name theirs.
    CATALOG_BACKFILL: 'false',
    ...env,
  });
  const logger = testLogger('inventory');
  const tap = await tapEvents(amqpUrl);
  const service = await startInventoryService(config, logger);
  const publisher: Broker = connectBroker({ url: amqpUrl, name: 'inventory-test-catalog', logger });
  await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
  const adminId = randomUUID();

  function productCreatedData(options: { initialStock?: number; variants?: number; name?: string } = {}): ProductCreatedV1 {
    const productId = randomUUID();
    return {
      productId,
      name: options.name ?? `Mug ${productId.slice(0, 8)}`,
      description: 'A mug',
      price: { amount: 1299, currency: 'USD' },
      categoryId: randomUUID(),
      status: 'active',
      variants: Array.from({ length: options.variants ?? 1 }, (_, i) => ({
        variantId: randomUUID(),
        sku: `SKU-${productId.slice(0, 8)}-${i}`,
        name: `Variant ${i}`,
        price: { amount: 1299, currency: 'USD' },
      })),
      initialStock: options.initialStock ?? 10,
      createdBy: adminId,
      createdAt: new Date().toISOString(),
    };
  }

  async function publish(envelope: EventEnvelope): Promise<void> {
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  }

  async function events(type: string, variantId?: string) {
    const all = (await publishedEvents(service, tap, type)).map((e) => e.data);
    return variantId === undefined ? all : all.filter((data) => data.variantId === variantId);
  }

  function productEvent<D>(contract: EventContract<D>, data: D & { productId: string }, version = 1): EventEnvelope<D> {
    return buildEnvelope('catalog', contract, data, { type: 'product', id: data.productId, version });
  }

  return {
    service,
    api: httpClient(service.url),
    issuer,
    adminId,
    adminToken: await issuer.token({ role: 'admin', customerId: adminId }),
    customerToken: await issuer.token({ role: 'customer' }),
    productCreatedData,
    productEvent,
    publish,
    async createProduct(options) {
      const data = productCreatedData(options);
      await publish(productEvent(productCreated, data));
      const variantIds = data.variants.map((v) => v.variantId);
      await eventually(async () => (await Promise.all(variantIds.map((id) => findStockByVariant(service.deps.db, id)))).every(Boolean), 10_000, 'stock rows');
      return { productId: data.productId, variantIds, skus: data.variants.map((v) => v.sku) };
    },
    events,
    async stop() {
      await publisher.close();
      await tap.close();
      await service.stop();
      await issuer.close();
    },
  };
}
