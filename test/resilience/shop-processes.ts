/**
 * The whole shop as separate processes for the fault tests: every service, the notification
 * worker, the gateway and the sandbox payment provider, each `node --import tsx <main.ts>` as
 * operators start it, on this run's own databases and vhost. Every process reaches PostgreSQL and
 * RabbitMQ through TCP proxies of the test's, and the notification worker reaches the mail sink
 * (in the test's own process) through one too: a test cuts those lines without touching the real
 * servers, which other test runs use at the same time. A process can be killed with SIGKILL and
 * started again with the same ports and settings.
 */
import pg from 'pg';
import {
  freePort,
  POSTGRES_URL,
  startMailSink,
  startShopProcess,
  startTcpProxy,
  testAmqpUrl,
  testDatabaseUrl,
  type MailSink,
  type ShopProcess,
  type TcpProxy,
} from '@shop/testkit';

export const shopProcessNames = ['customer', 'catalog', 'inventory', 'cart', 'payment', 'order', 'notification', 'gateway', 'payment-sandbox'] as const;
export type ShopProcessName = (typeof shopProcessNames)[number];
/** The processes with a database of their own. */
const withDatabase = ['customer', 'catalog', 'inventory', 'cart', 'payment', 'order', 'notification', 'payment-sandbox'] as const;
type DatabaseOwner = (typeof withDatabase)[number];

const entries: Record<ShopProcessName, string> = {
  customer: 'services/customer/src/main.ts',
  catalog: 'services/catalog/src/main.ts',
  inventory: 'services/inventory/src/main.ts',
  cart: 'services/cart/src/main.ts',
  payment: 'services/payment/src/main.ts',
  order: 'services/order/src/main.ts',
  notification: 'services/notification/src/main.ts',
  gateway: 'gateway/src/main.ts',
  'payment-sandbox': 'infra/payment-sandbox/src/main.ts',
};

// The order they start in, a group at a time: the cart and the inventory read the catalog's feed
// at start; the others only need the addresses, which are chosen before anything starts.
const startGroups: ShopProcessName[][] = [['customer', 'catalog', 'payment-sandbox'], ['inventory', 'payment', 'notification'], ['cart', 'order'], ['gateway']];

export const ADMIN = { email: 'faults-admin@shop.test', password: 'Faults12345' };
export const WEBHOOK_SECRET = 'faults-payment-webhook-secret';

export interface FaultShop {
  apiUrl: string;
  mail: MailSink;
  amqpUrl: string;
  /** Each database's URL on the real server (for the checks; the processes use the proxy). */
  databases: Record<DatabaseOwner, string>;
  /** Between every process and PostgreSQL, RabbitMQ, and the notification worker and the mail sink. */
  proxies: { postgres: TcpProxy; broker: TcpProxy; smtp: TcpProxy };
  /** SIGKILL, then started again with the same settings; resolves once it is ready again (ms it was away). */
  killAndRestart(name: ShopProcessName): Promise<number>;
  /** Processes that exited without being told to, with their last log lines. */
  unexpectedExits(): Array<{ name: ShopProcessName; exit: string; lastWords: string[] }>;
  /** Log lines at level error, per process, so far. */
  errorLines(): Map<ShopProcessName, string[]>;
  /** Ends every backend of this run's own databases (pg_terminate_backend); how many it ended. */
  terminateBackends(): Promise<number>;
  stop(): Promise<void>;
}

export interface FaultShopOptions {
  /** Settings added to a process's environment. */
  env?: Partial<Record<ShopProcessName, Record<string, string>>>;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

/** Polls the process's readiness until 200; a process that ends its start instead fails at once. */
async function ready(opsUrl: string, timeoutMs: number, child: ShopProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exitCode, signalCode } = child.child;
    if (exitCode !== null || signalCode !== null) {
      const lastWords = child.logs().slice(-3).map((line) => JSON.stringify(line)).join('\n');
      throw new Error(`${opsUrl}: the process exited (${signalCode ?? exitCode}) while starting:\n${lastWords}`);
    }
    if (await fetch(`${opsUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${opsUrl}/health/ready did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The shop for the fault runs. Its ports are picked free before its processes start; a suite
 * running beside it may take one in between (EADDRINUSE), and then the shop is started once more
 * on other ports.
 */
export async function startFaultShop(options: FaultShopOptions = {}): Promise<FaultShop> {
  try {
    return await startFaultShopOnce(options);
  } catch (err) {
    if (!String(err).includes('EADDRINUSE')) throw err;
    return startFaultShopOnce(options);
  }
}

async function startFaultShopOnce(options: FaultShopOptions): Promise<FaultShop> {
  const amqpUrl = await testAmqpUrl();
  const mail = await startMailSink({ smtpPort: 0, httpPort: 0 });
  const postgres = await startTcpProxy(Number(new URL(POSTGRES_URL).port || 5432));
  const broker = await startTcpProxy(Number(new URL(amqpUrl).port || 5672));
  const smtp = await startTcpProxy(mail.smtpPort);
  const databases = Object.fromEntries(withDatabase.map((name) => [name, testDatabaseUrl(`faults_${name.replace('-', '_')}`)])) as Record<DatabaseOwner, string>;

  const ports = {} as Record<ShopProcessName, { port: number; ops: number }>;
  for (const name of shopProcessNames) ports[name] = { port: await freePort(), ops: await freePort() };
  const proxiedAmqp = broker.via(amqpUrl);
  const base = (name: ShopProcessName) => ({
    PORT: String(ports[name].port),
    OPS_PORT: String(ports[name].ops),
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Few connections each: the short run shares PostgreSQL's connection limit with other suites.
    ...(name in databases && { DATABASE_URL: postgres.via(databases[name as DatabaseOwner]), DATABASE_POOL_SIZE: '4' }),
    ...(name !== 'payment-sandbox' && { AMQP_URL: proxiedAmqp }),
  });
  const jwks = `${url(ports.customer.port)}/auth/jwks`;
  const settings: Record<ShopProcessName, Record<string, string>> = {
    customer: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    catalog: { JWKS_URL: jwks },
    inventory: { JWKS_URL: jwks, CATALOG_SERVICE_URL: url(ports.catalog.port) },
    cart: { JWKS_URL: jwks, INVENTORY_SERVICE_URL: url(ports.inventory.port), CATALOG_SERVICE_URL: url(ports.catalog.port) },
    payment: { JWKS_URL: jwks, PAYMENT_PROVIDER_URL: url(ports['payment-sandbox'].port), PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET },
    order: {
      JWKS_URL: jwks,
      CUSTOMER_SERVICE_URL: url(ports.customer.port),
      CART_SERVICE_URL: url(ports.cart.port),
      INVENTORY_SERVICE_URL: url(ports.inventory.port),
      PAYMENT_SERVICE_URL: url(ports.payment.port),
      // A checkout whose recovery failed during the faults is tried again within the settle time.
      CHECKOUT_RECOVERY_MAX_DELAY_MS: '10000',
    },
    notification: { JWKS_URL: jwks, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) },
    gateway: {
      CUSTOMER_SERVICE_URL: url(ports.customer.port),
      CATALOG_SERVICE_URL: url(ports.catalog.port),
      INVENTORY_SERVICE_URL: url(ports.inventory.port),
      CART_SERVICE_URL: url(ports.cart.port),
      ORDER_SERVICE_URL: url(ports.order.port),
      PAYMENT_SERVICE_URL: url(ports.payment.port),
      NOTIFICATION_SERVICE_URL: url(ports.notification.port),
      // Every buyer and the provider's webhooks come from 127.0.0.1: one client to the rate limiter.
      RATE_LIMIT_MAX: '100000000',
      AUTH_RATE_LIMIT_MAX: '100000000',
    },
    'payment-sandbox': {
      PUBLIC_URL: url(ports['payment-sandbox'].port),
      WEBHOOK_URL: `${url(ports.gateway.port)}/api/v1/webhooks/payments`,
      WEBHOOK_SECRET,
    },
  };

  const running = new Map<ShopProcessName, ShopProcess>();
  const killing = new Set<ShopProcess>();
  const unexpected: Array<{ name: ShopProcessName; exit: string; lastWords: string[] }> = [];
  const errors = new Map<ShopProcessName, string[]>();
  let stopping = false;

  function launch(name: ShopProcessName): ShopProcess {
    const child = startShopProcess(entries[name], { ...base(name), ...settings[name], ...options.env?.[name] });
    running.set(name, child);
    void child.exited.then(({ code, signal }) => {
      const lines = child.logs();
      errors.set(name, [...(errors.get(name) ?? []), ...lines.filter((l) => l.level === 'error').map((l) => String(l.message))]);
      if (stopping || killing.has(child)) return;
      unexpected.push({ name, exit: String(signal ?? code), lastWords: lines.slice(-10).map((l) => JSON.stringify(l)) });
    });
    return child;
  }

  async function stop(): Promise<void> {
    stopping = true;
    const all = [...running.values()];
    for (const child of all) child.kill('SIGTERM');
    const force = setTimeout(() => all.forEach((child) => child.kill('SIGKILL')), 8_000);
    await Promise.all(all.map((child) => child.exited));
    clearTimeout(force);
    await Promise.all([postgres.close(), broker.close(), smtp.close()]);
    await mail.close();
  }

  try {
    for (const group of startGroups) {
      const children = group.map((name) => launch(name));
      await Promise.all(group.map((name, i) => ready(url(ports[name].ops), 90_000, children[i]!)));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    apiUrl: `${url(ports.gateway.port)}/api/v1`,
    mail,
    amqpUrl,
    databases,
    proxies: { postgres, broker, smtp },
    async killAndRestart(name) {
      const child = running.get(name)!;
      killing.add(child);
      const at = Date.now();
      child.kill('SIGKILL');
      await child.exited;
      await ready(url(ports[name].ops), 90_000, launch(name));
      return Date.now() - at;
    },
    unexpectedExits: () => unexpected,
    errorLines() {
      const all = new Map(errors);
      for (const [name, child] of running) {
        if (child.child.exitCode !== null || child.child.signalCode !== null) continue;
        all.set(name, [...(all.get(name) ?? []), ...child.logs().filter((l) => l.level === 'error').map((l) => String(l.message))]);
      }
      return all;
    },
    async terminateBackends() {
      const names = Object.values(databases).map((u) => new URL(u).pathname.slice(1));
      const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
      await client.connect();
      try {
        // Only this run's own databases: other runs' are in use by their tests.
        const { rows } = await client.query<{ ended: boolean }>('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [names]);
        return rows.filter((r) => r.ended).length;
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
