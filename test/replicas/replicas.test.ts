import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqplib from 'amqplib';
import { expect } from 'chai';
import pg from 'pg';
import { loadCartConfig } from '@shop/cart/src/config';
import { startCartService } from '@shop/cart/src/service';
import { loadCatalogConfig } from '@shop/catalog/src/config';
import { startCatalogService } from '@shop/catalog/src/service';
import type { EventEnvelope } from '@shop/contracts';
import { loadCustomerConfig } from '@shop/customer/src/config';
import { startCustomerService } from '@shop/customer/src/service';
import { loadGatewayConfig } from '@shop/gateway/src/config';
import { startGateway } from '@shop/gateway/src/gateway';
import { loadSandboxConfig } from '@shop/payment-sandbox/src/config';
import { startPaymentSandbox } from '@shop/payment-sandbox/src/sandbox';
import { loadPaymentConfig } from '@shop/payment/src/config';
import { startPaymentService } from '@shop/payment/src/service';
import {
  eventually,
  freePort,
  httpClient,
  startMailSink,
  startShopProcess,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  verificationLinkOf,
  type EventTap,
  type HttpClient,
  type MailSink,
  type ShopProcess,
} from '@shop/testkit';
import { startFrontDoor, type FrontDoor } from './front-door';

/**
 * The operations claim that any service can run as several replicas, proven with processes started
 * as operators start them: two inventory services, two order services and two notification workers,
 * each pair on one database and this run's vhost, with one of everything else the purchase path
 * needs (in this process). A pair is reached through a front door that hands each new connection to
 * the next replica in turn, as a load balancer does, so gateway traffic and service-to-service calls
 * (the order service reserving stock, the cart asking for it) reach both replicas while the gateway
 * and every service keep the one URL per service they are configured with.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@replicas.test', password: 'Admin12345' };
const PAYMENT_WEBHOOK_SECRET = 'replicas-payment-webhook-secret';
const SHOP_ORIGIN = 'http://shop.test';
const CUSTOMERS = 5;
/** Each customer's card orders; then one PayPal-style order whose approval they abandon. */
const CARD_ORDERS_PER_CUSTOMER = 3;
/** Card orders cancelled once confirmed: each customer's second. */
const cancelsCardOrder = (index: number) => index === 1;
const EXPIRING_HOLDS = 10;
const INITIAL_STOCK = 500;

const card = () => ({ method: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' });
const HOME = { recipientName: 'Rita Replica', street: '2 Twin Lane', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Running {
  name: string;
  process: ShopProcess;
  url: string;
  opsUrl: string;
}

interface PlacedOrder {
  orderId: string;
  orderNumber: string;
  method: 'card' | 'paypal';
  variantId: string;
  quantity: number;
  cancelled: boolean;
  /** The customer's. */
  token: string;
}

/** Where a process serves, from the line it logs once it has started (any earlier exit fails the wait). */
async function serving(name: string, child: ShopProcess): Promise<Running> {
  const line = await eventually(
    () => {
      if (child.child.exitCode !== null) throw new Error(`${name} exited with ${child.child.exitCode}`);
      return child.logs().find((l) => / service started$/.test(String(l.message)));
    },
    120_000,
    `${name} serving`,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; its last lines: ${JSON.stringify(child.logs().slice(-5))}`);
  });
  return { name, process: child, url: String(line.url), opsUrl: String(line.opsUrl) };
}

/** `host:port` of a URL, as a front door routes to it. */
const hostPort = (url: string) => new URL(url).host;

/** The sum of a Prometheus counter's samples whose labels include these. */
function counterOf(metrics: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} ([0-9.e+]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...match[2]!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) total += Number(match[3]);
  }
  return total;
}

const logsOf = (replica: Running, message: string) => replica.process.logs().filter((l) => l.message === message);

describe('replicas: two inventory services, two order services and two notification workers, each pair on one database', function () {
  // Usually about a minute; the margin is for a machine busy with other work as well.
  this.timeout(300_000);

  let amqpUrl: string;
  let tap: EventTap;
  let api: HttpClient;
  const processes: ShopProcess[] = [];
  const doors: FrontDoor[] = [];
  let front: Record<'inventory' | 'order' | 'notification' | 'customer' | 'catalog' | 'cart' | 'payment', FrontDoor>;
  const databases: Record<'inventory' | 'order' | 'notification', pg.Pool> = {} as never;
  let inventory: Running[];
  let orders: Running[];
  let notification: Running[];
  let mailSink: MailSink;
  const singles: Array<{ stop(): Promise<void> }> = [];
  const placed: PlacedOrder[] = [];
  const holds: string[] = [];
  const customerEmails: string[] = [];
  let holdVariant: string;
  const variants: string[] = [];
  /** What the set-up is doing, named when it fails or runs out of time. */
  let stage: string | undefined = 'starting the shop';

  function start(entry: string, env: Record<string, string>): ShopProcess {
    const child = startShopProcess(entry, { PORT: '0', AMQP_URL: amqpUrl, ...env });
    processes.push(child);
    return child;
  }

  async function door(): Promise<FrontDoor> {
    const opened = await startFrontDoor();
    doors.push(opened);
    return opened;
  }

  /** Consumers on a queue now, from a channel of its own (a queue not declared yet has none). */
  async function consumersOn(connection: amqplib.ChannelModel, queue: string): Promise<number> {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).consumerCount;
    } catch {
      return 0;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  before(async function () {
    const startedAt = Date.now();
    amqpUrl = await testAmqpUrl();
    // Listening before anything is published: the tap sees every event the relays send, duplicates included.
    tap = await tapEvents(amqpUrl);

    const url = {
      customer: testDatabaseUrl('rep_customer'),
      catalog: testDatabaseUrl('rep_catalog'),
      inventory: testDatabaseUrl('rep_inventory'),
      cart: testDatabaseUrl('rep_cart'),
      order: testDatabaseUrl('rep_order'),
      payment: testDatabaseUrl('rep_payment'),
      sandbox: testDatabaseUrl('rep_payment_sandbox'),
      notification: testDatabaseUrl('rep_notification'),
    };
    // A front door for each pair, and for the services the replicas call, which start after them.
    front = { inventory: await door(), order: await door(), notification: await door(), customer: await door(), catalog: await door(), cart: await door(), payment: await door() };
    const mail = await startMailSink({ smtpPort: 0, httpPort: 0 });
    singles.push({ stop: () => mail.close() });
    mailSink = mail;
    const jwks = { JWKS_URL: `${front.customer.url}/auth/jwks` };
    // The replicas' relays poll, and their sweeps and jobs run, every 200-250 ms, so both replicas'
    // rounds meet often (a relay is woken at once after its own process's commits; the lease holder
    // publishes what the other replica wrote at its next poll).
    const quick = { OUTBOX_POLL_INTERVAL_MS: '250' };

    // The replicas first (they take longest to load); each pair spawned in one go, so both
    // replicas create the database and run its migrations at the same moment.
    const spawnPair = (service: string, env: Record<string, string>) =>
      ['a', 'b'].map((replica) => ({ name: `${service}-${replica}`, child: start(`services/${service}/src/main.ts`, { ...quick, ...jwks, ...env }) }));
    const inventoryPair = spawnPair('inventory', { DATABASE_URL: url.inventory, CATALOG_SERVICE_URL: front.catalog.url, RESERVATION_SWEEP_INTERVAL_MS: '200' });
    const orderPair = spawnPair('order', {
      DATABASE_URL: url.order,
      CUSTOMER_SERVICE_URL: front.customer.url,
      CART_SERVICE_URL: front.cart.url,
      INVENTORY_SERVICE_URL: front.inventory.url,
      PAYMENT_SERVICE_URL: front.payment.url,
      CHECKOUT_RECOVERY_INTERVAL_MS: '200',
      SERVICE_CALL_TIMEOUT_MS: '10000',
      PAYMENT_CALL_TIMEOUT_MS: '15000',
    });
    const notificationPair = spawnPair('notification', { DATABASE_URL: url.notification, SMTP_PORT: String(mail.smtpPort), PUBLIC_BASE_URL: SHOP_ORIGIN, MAIL_POLL_INTERVAL_MS: '200' });

    // One of everything else, in this process (seven more processes would not start in time on two cores).
    const base = { AMQP_URL: amqpUrl, PORT: '0' };
    const started = <S extends { stop(): Promise<void> }>(starting: Promise<S>) => starting.then((service) => (singles.push(service), service));
    // The provider calls the shop back through the gateway, which starts after it: its port is chosen first.
    const gatewayPort = await freePort();
    const sandboxPort = await freePort();
    const [customer, catalog, sandbox] = await Promise.all([
      started(
        startCustomerService(
          loadCustomerConfig({ ...base, DATABASE_URL: url.customer, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, PUBLIC_BASE_URL: SHOP_ORIGIN }),
          testLogger('customer'),
        ),
      ),
      started(startCatalogService(loadCatalogConfig({ ...base, ...jwks, DATABASE_URL: url.catalog }), testLogger('catalog'))),
      started(
        startPaymentSandbox(
          loadSandboxConfig({
            DATABASE_URL: url.sandbox,
            PORT: String(sandboxPort),
            OPS_PORT: '0',
            PUBLIC_URL: `http://127.0.0.1:${sandboxPort}`,
            WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/api/v1/webhooks/payments`,
            WEBHOOK_SECRET: PAYMENT_WEBHOOK_SECRET,
            WEBHOOK_RETRY_FIRST_MS: '100',
            WEBHOOK_RETRY_MAX_MS: '1000',
          }),
          testLogger('payment-sandbox'),
        ),
      ),
    ]);
    front.customer.route([hostPort(customer.url)]);
    front.catalog.route([hostPort(catalog.url)]);
    const payment = await started(
      startPaymentService(
        loadPaymentConfig({ ...base, ...jwks, DATABASE_URL: url.payment, PAYMENT_PROVIDER_URL: sandbox.url, PAYMENT_WEBHOOK_SECRET, PAYPAL_RETURN_ORIGINS: SHOP_ORIGIN }),
        testLogger('payment'),
      ),
    );
    front.payment.route([hostPort(payment.url)]);

    inventory = await Promise.all(inventoryPair.map((p) => serving(p.name, p.child)));
    orders = await Promise.all(orderPair.map((p) => serving(p.name, p.child)));
    notification = await Promise.all(notificationPair.map((p) => serving(p.name, p.child)));
    front.inventory.route(inventory.map((r) => hostPort(r.url)));
    front.order.route(orders.map((r) => hostPort(r.url)));
    front.notification.route(notification.map((r) => hostPort(r.url)));
    // The cart asks the inventory for stock from its first request: it starts once the inventory serves.
    const cart = await started(
      startCartService(
        loadCartConfig({ ...base, ...jwks, DATABASE_URL: url.cart, INVENTORY_SERVICE_URL: front.inventory.url, CATALOG_SERVICE_URL: front.catalog.url }),
        testLogger('cart'),
      ),
    );
    front.cart.route([hostPort(cart.url)]);
    const gateway = await started(
      startGateway(
        loadGatewayConfig({
          PORT: String(gatewayPort),
          OPS_PORT: '0',
          AMQP_URL: amqpUrl,
          CUSTOMER_SERVICE_URL: customer.url,
          CATALOG_SERVICE_URL: catalog.url,
          INVENTORY_SERVICE_URL: front.inventory.url,
          CART_SERVICE_URL: cart.url,
          ORDER_SERVICE_URL: front.order.url,
          PAYMENT_SERVICE_URL: payment.url,
          NOTIFICATION_SERVICE_URL: front.notification.url,
          AUTH_RATE_LIMIT_MAX: '1000',
          RATE_LIMIT_MAX: '100000',
          // Room for a checkout on a test machine busy with other work too.
          UPSTREAM_TIMEOUT_MS: '20000',
        }),
        testLogger('gateway'),
      ),
    );
    databases.inventory = new pg.Pool({ connectionString: url.inventory, max: 2 });
    databases.order = new pg.Pool({ connectionString: url.order, max: 2 });
    databases.notification = new pg.Pool({ connectionString: url.notification, max: 2 });

    stage = 'waiting for both replicas of each pair to consume';
    // Both replicas of each pair consume before any work starts, so the broker shares it between them.
    const broker = await amqplib.connect(amqpUrl);
    try {
      for (const queue of ['inventory.product-events', 'order.payment-events', 'notification.emails']) {
        await eventually(async () => (await consumersOn(broker, queue)) === 2, 30_000, `two consumers on ${queue}`);
      }
    } finally {
      await broker.close();
    }
    const readyAt = Date.now();

    stage = 'creating products and customers';
    api = httpClient(`${gateway.url}/api/v1`);
    const admin = await eventually(async () => {
      const login = await api.post('/auth/login', ADMIN);
      return login.status === 200 && (login.body.accessToken as string);
    }, 20_000, 'the admin login');

    // Products: three to buy, one to hold and let expire.
    const category = await api.post('/admin/categories', { name: `Replicas ${randomUUID().slice(0, 8)}` }, { token: admin });
    const products: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const created = await api.post(
        '/admin/products',
        { name: `Twin kettle ${i} ${randomUUID().slice(0, 6)}`, description: 'Bought by replicas.', price: { amount: 2000 + 500 * i, currency: 'USD' }, categoryId: category.body.id, status: 'active', initialStock: INITIAL_STOCK },
        { token: admin },
      );
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      products.push(created.body.id);
      variants.push(created.body.variants[0].id);
    }
    holdVariant = variants.pop()!;
    products.pop();

    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, i) => {
        const email = `twin-${i}-${randomUUID().slice(0, 8)}@example.com`;
        const registered = await api.post('/customers', { email, password: 'twin-pass-1', firstName: 'Rita', lastName: `Replica${i}` });
        expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
        const event = await tap.waitFor<{ email: string; verificationLinkSealed?: string }>('customer.registered', (d) => d.email === email, 20_000);
        expect((await api.post('/customers/verify', { token: verificationLinkOf(event.data).token })).status).to.be.oneOf([200, 204]);
        const login = (await api.post('/auth/login', { email, password: 'twin-pass-1' })).body;
        const address = await api.post('/customers/me/addresses', HOME, { token: login.accessToken });
        expect(address.status).to.equal(201);
        customerEmails.push(email);
        return { token: login.accessToken as string, addressId: address.body.id as string };
      }),
    );

    stage = 'holding stock to expire';
    // Holds nobody commits, asked of each inventory replica in turn: they expire after a second,
    // while both replicas' sweeps run every 200 ms.
    for (let i = 0; i < EXPIRING_HOLDS; i += 1) {
      const orderId = randomUUID();
      const response = await fetch(`${inventory[i % 2]!.url}/internal/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId, lines: [{ variantId: holdVariant, quantity: 1 }], ttlSeconds: 1 }),
      });
      expect(response.status).to.equal(201);
      holds.push(orderId);
    }

    stage = 'placing orders';
    // Purchases: the customers shop at once, each one order after another (one checkout per customer at a time).
    const addToCart = (token: string, productId: string, quantity: number) =>
      eventually(async () => (await api.post('/cart/items', { productId, quantity }, { token })).status === 201, 15_000, 'the product in the cart');
    await Promise.all(
      customers.map(async (customer, c) => {
        for (let i = 0; i <= CARD_ORDERS_PER_CUSTOMER; i += 1) {
          const paypal = i === CARD_ORDERS_PER_CUSTOMER;
          const pick = (c + i) % products.length;
          const quantity = 1 + ((c + i) % 2);
          await addToCart(customer.token, products[pick]!, quantity);
          const response = await api.post(
            '/orders',
            { shippingAddressId: customer.addressId, payment: paypal ? { method: 'paypal' } : card() },
            { token: customer.token, headers: { 'idempotency-key': randomUUID() } },
          );
          expect(response.status, JSON.stringify(response.body)).to.equal(201);
          const order: PlacedOrder = {
            orderId: response.body.orderId,
            orderNumber: response.body.orderNumber,
            method: paypal ? 'paypal' : 'card',
            variantId: variants[pick]!,
            quantity,
            cancelled: paypal || cancelsCardOrder(i),
            token: customer.token,
          };
          placed.push(order);
          if (paypal) {
            // The shopper leaves the provider's page: the shop's job cancels the order.
            const approval = await api.post('/payments/paypal', { orderId: order.orderId, returnUrl: `${SHOP_ORIGIN}/done`, cancelUrl: `${SHOP_ORIGIN}/cancelled` }, { token: customer.token });
            expect(approval.status, JSON.stringify(approval.body)).to.equal(200);
            const left = await fetch(`${approval.body.redirectUrl}/cancel`, { method: 'POST', redirect: 'manual' });
            expect(left.status).to.equal(303);
          }
        }
      }),
    );
    stage = 'cancelling orders';
    // Some card orders cancelled once the capture confirmed them: order.placed, order.confirmed, order.cancelled.
    await Promise.all(
      placed
        .filter((o) => o.method === 'card' && o.cancelled)
        .map(async (order) => {
          await tap.waitFor('order.confirmed', (d: { orderId: string }) => d.orderId === order.orderId, 30_000);
          const cancelled = await api.post(`/orders/${order.orderId}/cancel`, { reason: 'changed my mind' }, { token: order.token });
          expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(200);
        }),
    );
    const purchasedAt = Date.now();

    stage = 'waiting for the events and mails the purchases set off';
    // Everything the purchases set off has arrived; then a pause in which a doubled effect would show.
    const cardOrders = placed.filter((o) => o.method === 'card');
    const cancelledOrders = placed.filter((o) => o.cancelled);
    const expected: Record<string, number> = {
      'order.placed': placed.length,
      'order.confirmed': cardOrders.length,
      'order.cancelled': cancelledOrders.length,
      'inventory.reserved': placed.length + EXPIRING_HOLDS,
      'inventory.released': cancelledOrders.length + EXPIRING_HOLDS,
      'payment.refunded': cardOrders.filter((o) => o.cancelled).length,
    };
    await eventually(() => Object.entries(expected).every(([type, n]) => tap.events(type).length >= n), 45_000, 'every event').catch((err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(Object.keys(expected).map((type) => `${type} ${tap.events(type).length}/${expected[type]}`))}`);
    });
    const expectedMails = placed.length + cancelledOrders.length + expected['payment.refunded']! + CUSTOMERS;
    await eventually(async () => sinkMails().length >= expectedMails, 30_000, `${expectedMails} mails at the sink`);
    await sleep(1_500);

    stage = undefined;
    const figures = await perReplicaFigures();
    process.stdout.write(
      `      replicas: ${placed.length} orders (${cardOrders.length} card, ${placed.length - cardOrders.length} PayPal left at the provider, ${cancelledOrders.length} cancelled), ` +
        `${EXPIRING_HOLDS} expiring holds, ${tap.events().length} events on the broker; ready in ${((readyAt - startedAt) / 1000).toFixed(1)} s, ` +
        `purchases ${((purchasedAt - readyAt) / 1000).toFixed(1)} s\n` +
        `      per replica (a/b): ${Object.entries(figures)
          .map(([what, pair]) => `${what} ${pair.join('/')}`)
          .join(', ')}\n`,
    );
  });

  after(async function () {
    this.timeout(30_000);
    if (stage) process.stdout.write(`      replicas: the set-up stopped while ${stage}\n`);
    for (const child of processes) child.kill('SIGTERM');
    await Promise.race([Promise.all(processes.map((p) => p.exited)), sleep(15_000)]);
    for (const child of processes) child.kill('SIGKILL');
    for (const service of singles.reverse()) await service.stop().catch(() => undefined);
    await Promise.all(Object.values(databases).map((pool) => pool.end()));
    await Promise.all(doors.map((d) => d.close()));
    await tap?.close();
  });

  /** Every mail the sink holds: To and Subject. */
  const sinkMails = () => mailSink.messages().map((m) => ({ to: m.to.map((t) => t.address).join(','), subject: m.subject }));

  async function metricsOf(replica: Running): Promise<string> {
    return (await fetch(`${replica.opsUrl}/metrics`)).text();
  }

  const applied = (metrics: string, queue: string) => counterOf(metrics, 'messaging_events_consumed_total', { queue, outcome: 'applied' });

  /** What each replica of each pair did, as pairs [a, b]. */
  async function perReplicaFigures(): Promise<Record<string, [number, number]>> {
    const pair = async (replicas: Running[], count: (r: Running, metrics: string) => number) => {
      const values = await Promise.all(replicas.map(async (r) => count(r, await metricsOf(r))));
      return values as [number, number];
    };
    return {
      'migrations applied (inventory)': await pair(inventory, (r) => logsOf(r, 'migration applied').length),
      'migrations applied (order)': await pair(orders, (r) => logsOf(r, 'migration applied').length),
      'migrations applied (notification)': await pair(notification, (r) => logsOf(r, 'migration applied').length),
      'inventory product events': await pair(inventory, (_, m) => applied(m, 'inventory.product-events')),
      'inventory holds taken': await pair(inventory, (r) => logsOf(r, 'stock reserved').length),
      'inventory expired holds released': await pair(inventory, (r) => logsOf(r, 'expired holds released').reduce((n, l) => n + Number(l.released), 0)),
      'order checkouts': await pair(orders, (r) => logsOf(r, 'order placed').length),
      'order payment events': await pair(orders, (_, m) => applied(m, 'order.payment-events')),
      'order abandoned cancelled': await pair(orders, (r) => logsOf(r, 'order cancelled').filter((l) => l.by === 'system').length),
      'notification events': await pair(notification, (_, m) => applied(m, 'notification.emails')),
      'notification mails sent': await pair(notification, (r) => logsOf(r, 'mail sent').length),
    };
  }

  /** The events about one aggregate, in the order the broker delivered them. */
  const eventsOf = (type: string, id: string): EventEnvelope[] => tap.events().filter((e) => e.aggregate?.type === type && e.aggregate.id === id);

  describe('migrations at start', () => {
    it('when both replicas of a pair start at the same moment, then both become ready, and each migration file was applied once, by one of them', async () => {
      const filesOf = async (scope: string, directory: string) => (await readdir(path.join(root, directory))).filter((f) => f.endsWith('.sql')).map((f) => `${scope}/${f}`);
      const platformFiles = await filesOf('platform', 'packages/db/migrations');
      for (const [service, pair, database] of [
        ['inventory', inventory, databases.inventory],
        ['order', orders, databases.order],
        ['notification', notification, databases.notification],
      ] as const) {
        for (const replica of pair) expect((await fetch(`${replica.opsUrl}/health/ready`)).status, `${replica.name} ready`).to.equal(200);
        const { rows } = await database.query<{ name: string; n: number }>('SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name ORDER BY name');
        expect(rows.every((r) => r.n === 1)).to.equal(true);
        const files = [...platformFiles, ...(await filesOf(service, `services/${service}/src/db/migrations`))].sort();
        expect(rows.map((r) => r.name).sort(), `${service}: every file on disk`).to.deep.equal(files);
        const appliedByEach = pair.map((r) => logsOf(r, 'migration applied').map((l) => String(l.migration)));
        const appliedByBoth = appliedByEach.flat().sort();
        expect(appliedByBoth, `${pair[0]!.name}: every file once`).to.deep.equal(rows.map((r) => r.name).sort());
        expect(new Set(appliedByBoth).size).to.equal(appliedByBoth.length);
        expect(pair.flatMap((r) => logsOf(r, 'database created')), 'the database created once').to.have.length(1);
      }
    });
  });

  describe('front doors', () => {
    it('then the gateway and the services calling a pair reached both replicas: each order replica took checkouts, each inventory replica connections', () => {
      for (const replica of orders) expect(logsOf(replica, 'order placed').length, replica.name).to.be.above(0);
      const handed = front.inventory.connectionsPerTarget();
      for (const replica of inventory) expect(handed[hostPort(replica.url)], replica.name).to.be.above(0);
    });
  });

  describe('competing consumers', () => {
    it('then both replicas of each pair consumed events, and between them each event was applied once', async () => {
      for (const [pair, queue, database] of [
        [inventory, 'inventory.product-events', databases.inventory],
        [orders, 'order.payment-events', databases.order],
        [notification, 'notification.emails', databases.notification],
      ] as const) {
        const metrics = await Promise.all(pair.map(metricsOf));
        const outcome = (name: string) => metrics.map((m) => counterOf(m, 'messaging_events_consumed_total', { queue, outcome: name }));
        const [appliedByEach, staleByEach] = [outcome('applied'), outcome('stale')];
        for (const [i, n] of appliedByEach.entries()) expect(n, `${pair[i]!.name} applied events of ${queue}`).to.be.above(0);
        // The inbox holds each event once, and every event one of the replicas took in (applied, or skipped as stale) is there.
        const { rows } = await database.query<{ n: number; events: number }>('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM inbox WHERE consumer = $1', [queue]);
        expect(rows[0]!.n).to.equal(rows[0]!.events);
        const takenIn = [...appliedByEach, ...staleByEach].reduce((a, b) => a + b, 0);
        expect(takenIn, `${queue}: taken in by both replicas = inbox rows (redeliveries absorbed: ${outcome('duplicate').join('/')})`).to.equal(rows[0]!.n);
      }
    });

    it('then the stock was reserved once per order and released once per cancelled order: on hand untouched, reserved = what live orders hold', async () => {
      for (const order of placed) {
        const reserved = tap.events('inventory.reserved').filter((e) => e.data.orderId === order.orderId);
        const released = tap.events('inventory.released').filter((e) => e.data.orderId === order.orderId);
        expect(reserved, `order ${order.orderNumber} reserved`).to.have.length(1);
        expect(released, `order ${order.orderNumber} released`).to.have.length(order.cancelled ? 1 : 0);
      }
      const { rows: audit } = await databases.inventory.query<{ order_id: string; action: string; n: number }>(
        `SELECT order_id, action, count(*)::int AS n FROM stock_audit WHERE order_id = ANY($1::uuid[]) GROUP BY order_id, action`,
        [placed.map((o) => o.orderId)],
      );
      expect(audit.filter((r) => r.n !== 1), 'one audit entry per order and action').to.deep.equal([]);
      for (const variantId of variants) {
        const { rows } = await databases.inventory.query<{ on_hand: number; reserved: number }>('SELECT on_hand, reserved FROM stock_items WHERE variant_id = $1', [variantId]);
        const held = placed.filter((o) => o.variantId === variantId && !o.cancelled).reduce((n, o) => n + o.quantity, 0);
        expect(rows[0]).to.deep.equal({ on_hand: INITIAL_STOCK, reserved: held });
      }
    });

    it('then each order was confirmed once and cancelled at most once', async () => {
      const { rows } = await databases.order.query<{ order_id: string; to_status: string; n: number }>(
        `SELECT order_id, to_status, count(*)::int AS n FROM order_status_history WHERE order_id = ANY($1::uuid[]) GROUP BY order_id, to_status`,
        [placed.map((o) => o.orderId)],
      );
      expect(rows.filter((r) => r.n !== 1), 'one status change per order and status').to.deep.equal([]);
      for (const order of placed) {
        const statuses = rows.filter((r) => r.order_id === order.orderId).map((r) => r.to_status);
        if (order.method === 'card') expect(statuses, order.orderNumber).to.include('CONFIRMED');
        expect(statuses.includes('CANCELLED'), order.orderNumber).to.equal(order.cancelled);
      }
    });

    it('then one mail per order and template (and one verification mail per customer) reached the sink, and the worker queued one row per event and template', async () => {
      const mails = sinkMails();
      for (const order of placed) {
        const about = mails.filter((m) => / order (\S+)/.exec(m.subject)?.[1] === order.orderNumber);
        const received = about.filter((m) => m.subject.endsWith(order.orderNumber));
        const cancelled = about.filter((m) => m.subject.endsWith('was cancelled'));
        const refunds = about.length - received.length - cancelled.length;
        expect(received, `${order.orderNumber} received`).to.have.length(1);
        expect(cancelled, `${order.orderNumber} cancelled`).to.have.length(order.cancelled ? 1 : 0);
        expect(refunds, `${order.orderNumber} refunded`).to.equal(order.cancelled && order.method === 'card' ? 1 : 0);
      }
      for (const email of customerEmails) expect(mails.filter((m) => m.to === email && /confirm your e-mail/.test(m.subject)), email).to.have.length(1);
      const { rows } = await databases.notification.query<{ event_id: string; template: string; n: number; sent: number }>(
        `SELECT event_id, template, count(*)::int AS n, count(*) FILTER (WHERE status = 'sent')::int AS sent FROM notifications GROUP BY event_id, template`,
      );
      expect(rows.filter((r) => r.n !== 1 || r.sent !== 1), 'one sent row per event and template').to.deep.equal([]);
      expect(rows).to.have.length(mails.length);
    });
  });

  describe('outbox relays of two replicas', () => {
    it('then no event reached the broker twice, and every event an outbox holds was published', async () => {
      const ids = tap.events().map((e) => e.id);
      expect(ids.length - new Set(ids).size, 'events delivered twice').to.equal(0);
      for (const database of Object.values(databases)) {
        const { rows } = await database.query<{ event_id: string; sent: boolean }>('SELECT event_id, sent_at IS NOT NULL AS sent FROM outbox');
        expect(rows.filter((r) => !r.sent)).to.deep.equal([]);
        const published = new Set(ids);
        expect(rows.filter((r) => !published.has(r.event_id))).to.deep.equal([]);
      }
    });

    it("then each order's events arrived in version order: placed, confirmed, cancelled", async () => {
      for (const order of placed) {
        const events = eventsOf('order', order.orderId);
        const versions = events.map((e) => e.aggregate.version);
        expect(versions, `${order.orderNumber} versions`).to.deep.equal([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).to.equal(versions.length);
        const expectedTypes =
          order.method === 'paypal' ? ['order.placed', 'order.cancelled'] : order.cancelled ? ['order.placed', 'order.confirmed', 'order.cancelled'] : ['order.placed', 'order.confirmed'];
        expect(events.map((e) => e.type), order.orderNumber).to.deep.equal(expectedTypes);
      }
      for (const orderId of [...placed.map((o) => o.orderId), ...holds]) {
        const versions = eventsOf('reservation', orderId).map((e) => e.aggregate.version);
        expect(versions, `reservation ${orderId}`).to.deep.equal([...versions].sort((a, b) => a - b));
      }
    });
  });

  describe('jobs on both replicas', () => {
    it('when holds expire while both inventory replicas sweep every 200 ms, then each is released once, as expired, and its stock is free again', async () => {
      for (const orderId of holds) {
        const released = tap.events('inventory.released').filter((e) => e.data.orderId === orderId);
        expect(released, `hold ${orderId}`).to.have.length(1);
        expect(released[0]!.data.reason).to.equal('expired');
      }
      const swept = inventory.flatMap((r) => logsOf(r, 'expired holds released')).reduce((n, l) => n + Number(l.released), 0);
      expect(swept).to.equal(EXPIRING_HOLDS);
      const { rows } = await databases.inventory.query<{ on_hand: number; reserved: number }>('SELECT on_hand, reserved FROM stock_items WHERE variant_id = $1', [holdVariant]);
      expect(rows[0]).to.deep.equal({ on_hand: INITIAL_STOCK, reserved: 0 });
    });

    it('when PayPal approvals are left at the provider while both order replicas run the abandoned-order job every 200 ms, then each order is cancelled once, by the system', async () => {
      const abandoned = placed.filter((o) => o.method === 'paypal');
      for (const order of abandoned) {
        const cancellations = tap.events('order.cancelled').filter((e) => e.data.orderId === order.orderId);
        expect(cancellations, order.orderNumber).to.have.length(1);
        expect(cancellations[0]!.data.reason).to.equal('PayPal approval cancelled');
      }
      const bySystem = orders.flatMap((r) => logsOf(r, 'order cancelled').filter((l) => l.by === 'system'));
      expect(bySystem).to.have.length(abandoned.length);
      // The replica whose round came second found the order cancelled already: that is no failure to retry.
      const failures = orders.flatMap((r) => logsOf(r, 'an abandoned order could not be cancelled yet; trying again later').map((l) => `${r.name}: ${String(l.orderId)} ${String(l.error)}`));
      expect(failures).to.deep.equal([]);
    });
  });
});
