import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  customerRegistered,
  inventoryStockChanged,
  productActivated,
  productCreated,
  productDeactivated,
  productDeleted,
  productUpdated,
  routingKeyOf,
  type EventContract,
  type EventEnvelope,
  type ProductCreatedV1,
  type StockLevelSnapshot,
} from '@shop/contracts';
import { buildEnvelope, sql } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import {
  eventually,
  httpClient,
  publishedEvents,
  startTokenIssuer,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type EventTap,
  type HttpClient,
  type TokenIssuer,
} from '@shop/testkit';
import { loadCartConfig } from '../src/config';
import { startCartService, type RunningCartService } from '../src/service';

/**
 * A stand-in for the inventory service's internal stock routes: tests set what is available per
 * variant, make it fail, and read what it was asked.
 */
export interface FakeInventory {
  url: string;
  /** Available stock per variant id; a variant not listed has none. */
  available: Map<string, number>;
  /** Levels the stock feed pages through. */
  feed: StockLevelSnapshot[];
  /** When set, every call answers this status (a failing service). */
  failWith: number | undefined;
  queries: string[][];
  close(): Promise<void>;
}

export async function startFakeInventory(): Promise<FakeInventory> {
  const fake: FakeInventory = { url: '', available: new Map(), feed: [], failWith: undefined, queries: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const answer = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (fake.failWith) return answer(fake.failWith, { error: { code: 'SERVICE_UNAVAILABLE', message: 'fake', details: {} } });
      if (req.method === 'POST' && req.url === '/internal/stock/query') {
        const { variantIds } = JSON.parse(body) as { variantIds: string[] };
        fake.queries.push(variantIds);
        return answer(200, { items: variantIds.filter((id) => fake.available.has(id)).map((variantId) => ({ variantId, available: fake.available.get(variantId), stockStatus: 'in_stock' })) });
      }
      if (req.method === 'GET' && req.url?.startsWith('/internal/stock/feed')) {
        const after = new URL(req.url, 'http://x').searchParams.get('after');
        const sorted = [...fake.feed].sort((a, b) => (a.variantId < b.variantId ? -1 : 1)).filter((l) => !after || l.variantId > after);
        return answer(200, { items: sorted.slice(0, 2), next: sorted.length > 2 ? sorted[1]!.variantId : null });
      }
      answer(404, { error: { code: 'NOT_FOUND', message: 'no such route', details: {} } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Another replica of the service under test: the same database and vhost. */
export interface CartReplica {
  service: RunningCartService;
  api: HttpClient;
}

export interface CartFixture {
  service: RunningCartService;
  api: HttpClient;
  inventory: FakeInventory;
  issuer: TokenIssuer;
  tap: EventTap;
  /** A customer's bearer token (a new customer unless an id is given). */
  customer(customerId?: string): Promise<{ customerId: string; token: string }>;
  /** A new guest cart: its id and the token to send as X-Cart-Token. */
  guest(): Promise<{ cartId: string; cartToken: string; headers: Record<string, string> }>;
  /** An active product with `variants` variants known to the cart (published as product.created), each with `stock` available. */
  product(options?: ProductOptions): Promise<ProductCreatedV1>;
  /** The product.created payload `product()` would publish, not published (its stock is set in the fake inventory all the same). */
  productData(options?: ProductOptions): ProductCreatedV1;
  /** Publishes a catalog or inventory event as their relays would. */
  publish<D>(contract: EventContract<D>, data: D, aggregate: { type: string; id: string; version: number }): Promise<EventEnvelope<D>>;
  /** Publishes an envelope again, as the broker redelivers one. */
  redeliver(envelope: EventEnvelope): Promise<void>;
  /** Waits until the cart service has taken this event in. */
  consumed(event: EventEnvelope): Promise<void>;
  /** The events of a type the service published (seen on the broker), oldest first. */
  events(type: string): Promise<Array<Record<string, any>>>;
  /** Starts one more replica on the same database and vhost (stopped with the fixture). */
  startReplica(): Promise<CartReplica>;
  stop(): Promise<void>;
}

export interface ProductOptions {
  variants?: number;
  stock?: number;
  status?: 'draft' | 'active';
  price?: number;
  variantPrices?: Array<number | undefined>;
}

export const CONTRACTS = { customerRegistered, inventoryStockChanged, productActivated, productCreated, productDeactivated, productDeleted, productUpdated };

export async function startCartFixture(env: Record<string, string> = {}): Promise<CartFixture> {
  const amqpUrl = await testAmqpUrl();
  const issuer = await startTokenIssuer();
  const inventory = await startFakeInventory();
  const tap = await tapEvents(amqpUrl);
  const config = loadCartConfig({
    PORT: '0',
    DATABASE_URL: testDatabaseUrl('cart'),
    AMQP_URL: amqpUrl,
    JWKS_URL: issuer.jwksUrl,
    INVENTORY_SERVICE_URL: inventory.url,
    CATALOG_BACKFILL: 'false',
    OUTBOX_POLL_INTERVAL_MS: '50',
    CONSUMER_RETRY_DELAYS_MS: '100,200,500',
    ...env,
  });
  const service = await startCartService(config, testLogger('cart'));
  const publisher: Broker = connectBroker({ url: amqpUrl, name: 'cart-test-publisher', logger: testLogger('cart-test') });
  await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
  const api = httpClient(service.url);
  const replicas: RunningCartService[] = [];

  async function publish<D>(contract: EventContract<D>, data: D, aggregate: { type: string; id: string; version: number }) {
    const envelope = buildEnvelope('test', contract, data, aggregate);
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    return envelope;
  }

  async function consumed(event: EventEnvelope) {
    await eventually(async () => (await sql`SELECT 1 FROM inbox WHERE event_id = ${event.id}`.execute(service.deps.db)).rows.length > 0, 10_000, `${event.type} consumed`);
  }

  return {
    service,
    api,
    inventory,
    issuer,
    tap,
    async customer(customerId = randomUUID()) {
      return { customerId, token: await issuer.token({ customerId }) };
    },
    async guest() {
      const response = await api.post('/carts/guest');
      if (response.status !== 201) throw new Error(`no guest cart: ${response.status}`);
      return { ...response.body, headers: { 'x-cart-token': response.body.cartToken } };
    },
    async product(options = {}) {
      const data = productData(options);
      await consumed(await publish(productCreated, data, { type: 'product', id: data.productId, version: 1 }));
      return data;
    },
    productData,
    publish,
    async redeliver(envelope) {
      await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    },
    consumed,
    async events(type) {
      return (await publishedEvents(service, tap, type)).map((e) => e.data);
    },
    async startReplica() {
      const replica = await startCartService(config, testLogger('cart-replica'));
      replicas.push(replica);
      return { service: replica, api: httpClient(replica.url) };
    },
    async stop() {
      await publisher.close();
      for (const replica of replicas) await replica.stop();
      await service.stop();
      await tap.close();
      await inventory.close();
      await issuer.close();
    },
  };

  function productData(options: ProductOptions = {}): ProductCreatedV1 {
    const productId = randomUUID();
    const price = { amount: options.price ?? 1500, currency: 'USD' };
    const count = options.variants ?? 1;
    const data: ProductCreatedV1 = {
      productId,
      name: `Teapot ${productId.slice(0, 6)}`,
      description: 'Brews tea.',
      price,
      categoryId: randomUUID(),
      status: options.status ?? 'active',
      variants: Array.from({ length: count }, (_, i) => ({
        variantId: randomUUID(),
        sku: `TP-${productId.slice(0, 6)}-${i}`,
        name: count === 1 ? 'Default' : `Size ${i + 1}`,
        price: { amount: options.variantPrices?.[i] ?? price.amount, currency: 'USD' },
      })),
      initialStock: options.stock ?? 10,
      createdBy: null,
      createdAt: new Date().toISOString(),
    };
    for (const variant of data.variants) inventory.available.set(variant.variantId, options.stock ?? 10);
    return data;
  }
}
