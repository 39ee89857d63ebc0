import { randomUUID } from 'node:crypto';
import { routingKeyOf, type EventContract, type EventEnvelope } from '@shop/contracts';
import { buildEnvelope, createDatabase, type Kysely } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import {
  eventually,
  freePort,
  httpClient,
  publishedEvents,
  startShopProcess,
  startTokenIssuer,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type EventTap,
  type HttpClient,
  type PublishingService,
  type ShopProcess,
  type TokenIssuer,
} from '@shop/testkit';
import { loadOrderConfig } from '../src/config';
import type { OrderDatabase } from '../src/db/schema';
import { startOrderService, type RunningOrderService } from '../src/service';
import { startFakeServices, type FakeCartLine, type FakeServices } from './fake-services';

export const CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  amex: '378282246310005',
  providerError: '4000000000000119',
};
export const usd = (amount: number) => ({ amount, currency: 'USD' });
export const CARRIER_SECRET = 'order-test-carrier-webhook-secret';
export const HOME = { recipientName: 'Ada Lovelace', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
export const cardPayment = (cardNumber = CARDS.approved) => ({ method: 'card', cardNumber, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' });

/** A verified customer with a saved address and a cart, known to the fake services. */
export interface Buyer {
  customerId: string;
  token: string;
  addressId: string;
  cartId: string;
  lines: FakeCartLine[];
  /** The body of a card checkout to their saved address. */
  order(cardNumber?: string): { shippingAddressId: string; payment: ReturnType<typeof cardPayment> };
}

export interface BuyerOptions {
  /** Unit prices of the cart's lines (one unit each unless `quantities`); two lines at 20.00 by default. */
  prices?: number[];
  quantities?: number[];
  /** Units in stock per line's variant; plenty by default. */
  stock?: number;
  status?: 'unverified' | 'verified' | 'suspended';
}

export interface OrderFixture {
  url: string;
  api: HttpClient;
  fake: FakeServices;
  issuer: TokenIssuer;
  tap: EventTap;
  db: Kysely<OrderDatabase>;
  buyer(options?: BuyerOptions): Promise<Buyer>;
  /** Publishes a payment event as the payment service's relay would. */
  publish<D>(contract: EventContract<D>, data: D, aggregate: { type: string; id: string; version: number }): Promise<EventEnvelope<D>>;
  /** The events of a type the service published (seen on the broker), oldest first. */
  events(type: string, timeoutMs?: number): Promise<Array<Record<string, any>>>;
  checkout(orderId: string): Promise<Record<string, any> | undefined>;
  stop(): Promise<void>;
}

interface Backing {
  fake: FakeServices;
  issuer: TokenIssuer;
  tap: EventTap;
  publisher: Broker;
  db: Kysely<OrderDatabase>;
  amqpUrl: string;
  databaseUrl: string;
}

/** What the service runs against: fakes of the services it calls, a token issuer, its own database and the run's broker. */
async function startBacking(): Promise<Backing> {
  const amqpUrl = await testAmqpUrl();
  const databaseUrl = testDatabaseUrl('order');
  const publisher = connectBroker({ url: amqpUrl, name: 'order-test-publisher', logger: testLogger('order-test') });
  await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
  return {
    fake: await startFakeServices(),
    issuer: await startTokenIssuer(),
    tap: await tapEvents(amqpUrl),
    publisher,
    db: createDatabase<OrderDatabase>({ url: databaseUrl, poolSize: 2, logger: testLogger('order-test') }),
    amqpUrl,
    databaseUrl,
  };
}

function serviceEnv(backing: Backing, env: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: backing.databaseUrl,
    AMQP_URL: backing.amqpUrl,
    PORT: '0',
    JWKS_URL: backing.issuer.jwksUrl,
    CUSTOMER_SERVICE_URL: backing.fake.url,
    CART_SERVICE_URL: backing.fake.url,
    INVENTORY_SERVICE_URL: backing.fake.url,
    PAYMENT_SERVICE_URL: backing.fake.url,
    SERVICE_CALL_TIMEOUT_MS: '1000',
    PAYMENT_CALL_TIMEOUT_MS: '1500',
    CHECKOUT_LEASE_MS: '1000',
    CHECKOUT_RECOVERY_INTERVAL_MS: '200',
    CARRIER_WEBHOOK_SECRET: CARRIER_SECRET,
    ...env,
  };
}

function fixtureOver(backing: Backing, url: string, publishing: PublishingService | undefined, stopService: () => Promise<void>): OrderFixture {
  const { fake, issuer, tap, db, publisher } = backing;
  const api = httpClient(url);
  return {
    url,
    api,
    fake,
    issuer,
    tap,
    db,
    async buyer(options = {}) {
      const customerId = randomUUID();
      const addressId = randomUUID();
      const cartId = randomUUID();
      const prices = options.prices ?? [2000, 2000];
      const lines = prices.map((price, i): FakeCartLine => {
        const variantId = randomUUID();
        fake.stock.set(variantId, options.stock ?? 100);
        return { productId: randomUUID(), variantId, productName: `Product ${i + 1}`, variantName: 'Default', sku: `SKU-${variantId.slice(0, 8)}`, quantity: options.quantities?.[i] ?? 1, unitPrice: usd(price), onSale: true };
      });
      fake.customers.set(customerId, { status: options.status ?? 'verified', email: `${customerId.slice(0, 8)}@example.com`, addresses: new Map([[addressId, HOME]]) });
      fake.carts.set(customerId, { cartId, version: 3, items: lines });
      const token = await issuer.token({ customerId });
      return { customerId, token, addressId, cartId, lines, order: (cardNumber) => ({ shippingAddressId: addressId, payment: cardPayment(cardNumber) }) };
    },
    async publish(contract, data, aggregate) {
      const envelope = buildEnvelope('payment', contract, data, aggregate);
      await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope: envelope as EventEnvelope }]);
      return envelope;
    },
    async events(type, timeoutMs) {
      // A service in another process publishes on its own; its outbox, read here, says what to wait for.
      const service = publishing ?? { deps: { db }, drainOutbox: async () => 0 };
      return (await publishedEvents(service, tap, type, timeoutMs)).map((e) => e.data);
    },
    async checkout(orderId) {
      return db.selectFrom('checkouts').selectAll().where('id', '=', orderId).executeTakeFirst();
    },
    async stop() {
      await stopService();
      await publisher.close();
      await db.destroy();
      await tap.close();
      await issuer.close();
      await fake.close();
    },
  };
}

/** The order service in this process against fakes of the services it calls. */
export async function startOrderFixture(env: Record<string, string> = {}): Promise<OrderFixture> {
  const backing = await startBacking();
  const service: RunningOrderService = await startOrderService(loadOrderConfig(serviceEnv(backing, env)), testLogger('order'));
  return fixtureOver(backing, service.url, service, () => service.stop());
}

/** The order service as a process of its own, which a test can kill (SIGKILL) and start again on the same database. */
export interface OrderProcessFixture extends OrderFixture {
  process: ShopProcess;
  /** Kills the process at once, as a crash would. */
  crash(): Promise<void>;
  /** Starts the service again (same database, same port). */
  restart(): Promise<void>;
}

export async function startOrderProcessFixture(env: Record<string, string> = {}): Promise<OrderProcessFixture> {
  const backing = await startBacking();
  const port = await freePort();
  const processEnv = serviceEnv(backing, { PORT: String(port), OPS_PORT: '0', ...env });
  const start = async () => {
    const started = startShopProcess('services/order/src/main.ts', processEnv);
    await started.waitForLog('order service started', 30_000);
    return started;
  };
  let current = await start();
  const fixture = fixtureOver(backing, `http://127.0.0.1:${port}`, undefined, async () => {
    current.kill('SIGTERM');
    await current.exited;
  });
  return Object.assign(fixture, {
    get process() {
      return current;
    },
    async crash() {
      current.kill('SIGKILL');
      await current.exited;
    },
    async restart() {
      current = await start();
    },
  });
}
