import { randomUUID } from 'node:crypto';
import { buildEnvelope } from '@shop/db';
import { inventoryStockChanged, routingKeyOf, type EventEnvelope, type InventoryStockChangedV1 } from '@shop/contracts';
import { connectBroker, type Broker } from '@shop/messaging';
import type { Principal } from '@shop/platform';
import { eventually, httpClient, publishedEvents, startTokenIssuer, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type HttpClient, type TokenIssuer } from '@shop/testkit';
import { loadCatalogConfig } from '../src/config';
import { startCatalogService, type RunningCatalogService } from '../src/service';

/** Another replica of the service under test: the same database and vhost. */
export interface CatalogReplica {
  service: RunningCatalogService;
  api: HttpClient;
}

export interface CatalogFixture {
  service: RunningCatalogService;
  api: HttpClient;
  issuer: TokenIssuer;
  /** An admin's token and id (the id is what audits and events record). */
  admin: { token: string; customerId: string };
  /** The same admin as a principal, for calling use cases directly. */
  adminPrincipal: Principal;
  customerToken: string;
  /** A root category made at start, for products whose category does not matter. */
  categoryId: string;
  /** Creates a category over HTTP (unique name unless given) and returns the response body. */
  createCategory(overrides?: { name?: string; parentCategoryId?: string }): Promise<Record<string, any>>;
  /** Creates a product over HTTP (a valid default body, overridden) and returns the response body. */
  createProduct(overrides?: Record<string, unknown>): Promise<Record<string, any>>;
  /** The events of a type the service published (seen on the broker), oldest first. */
  events(type: string): Promise<Array<{ id: string; data: Record<string, any> }>>;
  /** Publishes envelopes to the broker, as the inventory service's relay would. */
  publish(...envelopes: EventEnvelope[]): Promise<void>;
  /** Starts one more replica on the same database and vhost (stopped with the fixture). */
  startReplica(): Promise<CatalogReplica>;
  stop(): Promise<void>;
}

export const uniqueName = (tag = 'Item') => `${tag} ${randomUUID().slice(0, 8)}`;
export const usd = (amount: number) => ({ amount, currency: 'USD' });

/** An inventory.stock-changed envelope for a variant; the status follows available vs threshold unless given. */
export function stockChanged(variant: { variantId: string; productId: string }, fields: Partial<InventoryStockChangedV1> & { stockVersion: number }) {
  const available = fields.available ?? 10;
  const lowStockThreshold = fields.lowStockThreshold ?? 5;
  const stockStatus = fields.stockStatus ?? (available === 0 ? 'out_of_stock' : available <= lowStockThreshold ? 'low_stock' : 'in_stock');
  return buildEnvelope(
    'inventory',
    inventoryStockChanged,
    {
      inventoryId: randomUUID(),
      onHand: available,
      reserved: 0,
      changedAt: new Date().toISOString(),
      ...fields,
      variantId: variant.variantId,
      productId: variant.productId,
      available,
      lowStockThreshold,
      stockStatus,
    },
    { type: 'stock', id: variant.variantId, version: fields.stockVersion },
  );
}

export async function startCatalogFixture(env: Record<string, string> = {}): Promise<CatalogFixture> {
  const issuer = await startTokenIssuer();
  const amqpUrl = await testAmqpUrl();
  const config = loadCatalogConfig({
    DATABASE_URL: testDatabaseUrl('catalog'),
    AMQP_URL: amqpUrl,
    JWKS_URL: issuer.jwksUrl,
    PORT: '0',
    OUTBOX_POLL_INTERVAL_MS: '50',
    ...env,
  });
  const tap = await tapEvents(amqpUrl);
  const service = await startCatalogService(config, testLogger('catalog'));
  const api = httpClient(service.url);
  const adminId = randomUUID();
  const admin = { token: await issuer.token({ role: 'admin', customerId: adminId }), customerId: adminId };
  const customerToken = await issuer.token({ role: 'customer' });
  let broker: Broker | undefined;
  const replicas: RunningCatalogService[] = [];

  async function createCategory(overrides: { name?: string; parentCategoryId?: string } = {}) {
    const response = await api.post('/admin/categories', { name: uniqueName('Category'), ...overrides }, { token: admin.token });
    if (response.status !== 201) throw new Error(`category not created: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  const { id: categoryId } = await createCategory();

  return {
    service,
    api,
    issuer,
    admin,
    adminPrincipal: { customerId: adminId, role: 'admin', sessionId: randomUUID(), issuedAt: Math.floor(Date.now() / 1000) },
    customerToken,
    categoryId,
    createCategory,
    async createProduct(overrides = {}) {
      const body = { name: uniqueName('Product'), description: 'A fine product.', price: usd(1999), categoryId, ...overrides };
      const response = await api.post('/admin/products', body, { token: admin.token });
      if (response.status !== 201) throw new Error(`product not created: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async events(type) {
      return (await publishedEvents(service, tap, type)).map((e) => ({ id: e.id, data: e.data }));
    },
    async publish(...envelopes) {
      broker ??= connectBroker({ url: amqpUrl, name: 'catalog-test-inventory', logger: testLogger('catalog-test') });
      const connected = broker;
      await eventually(() => connected.isConnected(), 10_000, 'test broker connection');
      await connected.publish(envelopes.map((envelope) => ({ routingKey: routingKeyOf(envelope), envelope })));
    },
    async startReplica() {
      const replica = await startCatalogService(config, testLogger('catalog-replica'));
      replicas.push(replica);
      return { service: replica, api: httpClient(replica.url) };
    },
    async stop() {
      for (const replica of replicas) await replica.stop();
      await broker?.close();
      await tap.close();
      await service.stop();
      await issuer.close();
    },
  };
}
