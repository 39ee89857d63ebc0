/**
 * The whole shop for a benchmark: the mail sink, the sandbox payment provider, every service, the
 * notification worker and the gateway, each its own process running its compiled JavaScript (as
 * in production: `pnpm run build`, then `node dist/main.js`), on scratch databases and a scratch
 * vhost. `startShop` returns where everything answers; bench-kit stops the processes and drops the
 * databases and the vhost when the benchmark ends. Also what a run counts per process while it
 * loads the shop: HTTP requests answered and events published and consumed (each process's
 * /metrics), transactions and row changes per database (pg_stat_database).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort, POSTGRES_URL, testAmqpUrl, testDatabaseUrl } from '@shop/testkit';
import { root, track, waitFor } from './bench-kit';

/** The processes of the shop, in the order they start. */
export const shopProcessNames = ['mail-sink', 'customer', 'catalog', 'inventory', 'cart', 'payment', 'order', 'notification', 'gateway', 'payment-sandbox'] as const;
export type ShopProcessName = (typeof shopProcessNames)[number];

/** One started process of the shop. */
export interface ShopProcess {
  name: ShopProcessName;
  pid: number;
  /** Its HTTP port (the mail sink's: its web API). */
  port: number;
  url: string;
  /** Where /health/ready and /metrics answer (not the mail sink). */
  opsUrl?: string;
  /** Its own database, if it has one. */
  databaseUrl?: string;
}

export interface Shop {
  gatewayUrl: string;
  /** The gateway's API root (`/api/v1`). */
  apiUrl: string;
  /** The mail sink's web API, where every mail the shop sends can be read. */
  mailUrl: string;
  amqpUrl: string;
  admin: { email: string; password: string };
  /** The secret the provider signs its webhooks with. */
  webhookSecret: string;
  processes: Record<ShopProcessName, ShopProcess>;
  /** Hears every line a process writes (JSON log lines mostly); returns a function that stops listening. */
  onLine(listener: (name: ShopProcessName, line: string) => void): () => void;
}

export interface ShopOptions {
  /** Each node process writes a V8 CPU profile (`<name>.cpuprofile`) into this directory when it exits. */
  cpuProfileDir?: string;
  /** Only these processes write a profile (default: all); the profiler slows each one it runs in. */
  profiled?: readonly ShopProcessName[];
  /** Settings added to (or replacing) a process's environment. */
  env?: Partial<Record<ShopProcessName, Record<string, string>>>;
  logLevel?: string;
  /** Echo every line of the processes on stderr (default true). */
  echo?: boolean;
}

const admin = { email: 'bench-admin@shop.local', password: 'Bench12345' };
const webhookSecret = 'bench-payment-webhook-secret';

/** Compiles the shop (incrementally) as `pnpm run build` does; throws when it does not compile. */
export function buildShop(): void {
  process.stdout.write('building the shop (pnpm run build) ... ');
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}`);
  process.stdout.write('done\n');
}

/** `services/x/src/main.ts` -> `<root>/services/x/dist/main.js`, what the build writes. */
function compiled(entry: string): string {
  return path.join(root, entry.replace('/src/', '/dist/').replace(/\.ts$/, '.js'));
}

/**
 * Starts every process of the shop, one at a time, each ready before the next (the cart and
 * inventory read the catalog's feed at start; the sandbox provider calls the shop back through the
 * gateway, so it starts last). Each process's ports are chosen just before it starts, so another
 * program on the machine has little time to take them; only the sandbox's is chosen at once, for
 * the payment service. Build first (`buildShop`).
 */
export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const amqp = await testAmqpUrl();
  const url = (p: number) => `http://127.0.0.1:${p}`;
  const ports = {} as Record<ShopProcessName, number>;
  const opsPorts = {} as Record<ShopProcessName, number>;
  ports['payment-sandbox'] = await freePort();
  const databases: Partial<Record<ShopProcessName, string>> = {};
  for (const name of ['customer', 'catalog', 'inventory', 'cart', 'payment-sandbox', 'payment', 'order', 'notification'] as const) {
    databases[name] = testDatabaseUrl(`bench_${name.replace('-', '_')}`);
  }
  const jwks = () => `${url(ports.customer)}/auth/jwks`;
  const service = (name: ShopProcessName) => ({ PORT: String(ports[name]), OPS_PORT: String(opsPorts[name]), DATABASE_URL: databases[name]!, AMQP_URL: amqp });
  let mailSmtp = 0;

  // Each process's settings, read once its own ports and those of the processes before it are known.
  const settings: Array<[ShopProcessName, string, () => Record<string, string>]> = [
    ['mail-sink', 'packages/mail-sink/src/main.ts', () => ({ SMTP_PORT: String(mailSmtp), HTTP_PORT: String(ports['mail-sink']) })],
    ['customer', 'services/customer/src/main.ts', () => ({ ...service('customer'), ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password })],
    ['catalog', 'services/catalog/src/main.ts', () => ({ ...service('catalog'), JWKS_URL: jwks() })],
    ['inventory', 'services/inventory/src/main.ts', () => ({ ...service('inventory'), JWKS_URL: jwks(), CATALOG_SERVICE_URL: url(ports.catalog) })],
    ['cart', 'services/cart/src/main.ts', () => ({ ...service('cart'), JWKS_URL: jwks(), INVENTORY_SERVICE_URL: url(ports.inventory), CATALOG_SERVICE_URL: url(ports.catalog) })],
    ['payment', 'services/payment/src/main.ts', () => ({ ...service('payment'), PAYMENT_PROVIDER_URL: url(ports['payment-sandbox']), PAYMENT_WEBHOOK_SECRET: webhookSecret, JWKS_URL: jwks() })],
    [
      'order',
      'services/order/src/main.ts',
      () => ({
        ...service('order'),
        JWKS_URL: jwks(),
        CUSTOMER_SERVICE_URL: url(ports.customer),
        CART_SERVICE_URL: url(ports.cart),
        INVENTORY_SERVICE_URL: url(ports.inventory),
        PAYMENT_SERVICE_URL: url(ports.payment),
      }),
    ],
    ['notification', 'services/notification/src/main.ts', () => ({ ...service('notification'), JWKS_URL: jwks(), SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailSmtp) })],
    [
      'gateway',
      'gateway/src/main.ts',
      () => ({
        PORT: String(ports.gateway),
        OPS_PORT: String(opsPorts.gateway),
        AMQP_URL: amqp,
        CUSTOMER_SERVICE_URL: url(ports.customer),
        CATALOG_SERVICE_URL: url(ports.catalog),
        INVENTORY_SERVICE_URL: url(ports.inventory),
        CART_SERVICE_URL: url(ports.cart),
        ORDER_SERVICE_URL: url(ports.order),
        PAYMENT_SERVICE_URL: url(ports.payment),
        NOTIFICATION_SERVICE_URL: url(ports.notification),
        // Every buyer and the provider's webhooks come from 127.0.0.1: one client to the rate limiter.
        RATE_LIMIT_MAX: '100000000',
        AUTH_RATE_LIMIT_MAX: '100000000',
      }),
    ],
    [
      'payment-sandbox',
      'infra/payment-sandbox/src/main.ts',
      () => ({
        PORT: String(ports['payment-sandbox']),
        OPS_PORT: String(opsPorts['payment-sandbox']),
        DATABASE_URL: databases['payment-sandbox']!,
        WEBHOOK_URL: `${url(ports.gateway)}/api/v1/webhooks/payments`,
        WEBHOOK_SECRET: webhookSecret,
      }),
    ],
  ];

  const listeners = new Set<(name: ShopProcessName, line: string) => void>();
  const processes = {} as Record<ShopProcessName, ShopProcess>;
  for (const [name, entry, settingsOf] of settings) {
    process.stdout.write(`starting ${name} ... `);
    ports[name] ??= await freePort();
    if (name === 'mail-sink') mailSmtp = await freePort();
    else opsPorts[name] = await freePort();
    const env = settingsOf();
    const profile = options.cpuProfileDir && (options.profiled?.includes(name) ?? true) ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, compiled(entry)], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: options.logLevel ?? 'warn', ...env, ...options.env?.[name] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const last: string[] = [];
    track(name, child, () => last);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        last.push(line);
        if (last.length > 20) last.shift();
        if (options.echo !== false) process.stderr.write(`${name.padEnd(15)}| ${line}\n`);
        for (const listener of listeners) listener(name, line);
      });
    }
    const opsUrl = name === 'mail-sink' ? undefined : url(opsPorts[name]);
    await waitFor(opsUrl ? `${opsUrl}/health/ready` : `${url(ports[name])}/health/live`);
    processes[name] = { name, pid: child.pid!, port: ports[name], url: url(ports[name]), ...(opsUrl && { opsUrl }), ...(databases[name] && { databaseUrl: databases[name] }) };
    process.stdout.write('ready\n');
  }

  return {
    gatewayUrl: url(ports.gateway),
    apiUrl: `${url(ports.gateway)}/api/v1`,
    mailUrl: url(ports['mail-sink']),
    amqpUrl: amqp,
    admin,
    webhookSecret,
    processes,
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The PostgreSQL backends serving this shop's databases, by PID (each connection is a process of
 * its own): their CPU is the shop's, unlike that of the server's other processes, which serve any
 * other database on the machine too.
 */
export async function postgresBackendsOf(shop: Shop): Promise<Map<number, ShopProcessName>> {
  const byDatabase = databasesOf(shop);
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; datname: string }>(`SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)`, [[...byDatabase.keys()]]);
    return new Map(rows.map((row) => [row.pid, byDatabase.get(row.datname)!]));
  } finally {
    await client.end();
  }
}

/** Each database of the shop by name, with the process it belongs to. */
function databasesOf(shop: Shop): Map<string, ShopProcessName> {
  return new Map(Object.values(shop.processes).flatMap((p) => (p.databaseUrl ? [[new URL(p.databaseUrl).pathname.slice(1), p.name] as const] : [])));
}

/** What a shop has done so far, counted per process and per database. */
export interface ShopCounters {
  /** Per process, from its /metrics: HTTP requests answered, events its relay published, events its consumers took. */
  processes: Map<ShopProcessName, { requests: number; published: number; consumed: number }>;
  /** Per database: committed and rolled back transactions, rows inserted, updated and deleted. */
  databases: Map<ShopProcessName, { transactions: number; inserted: number; updated: number; deleted: number }>;
}

/** The sum of a metric's samples in a Prometheus text answer. */
function metricSum(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)$`, 'gm'))) total += Number(match[1]);
  return total;
}

/** Reads the counters; take one before and one after a run, then `countersPer`. */
export async function readCounters(shop: Shop): Promise<ShopCounters> {
  const processes: ShopCounters['processes'] = new Map();
  await Promise.all(
    Object.values(shop.processes).map(async (p) => {
      if (!p.opsUrl) return;
      const text = await fetch(`${p.opsUrl}/metrics`).then((r) => r.text(), () => '');
      processes.set(p.name, {
        requests: metricSum(text, 'http_request_duration_seconds_count'),
        published: metricSum(text, 'outbox_events_published_total'),
        consumed: metricSum(text, 'messaging_events_consumed_total'),
      });
    }),
  );

  const byDatabase = databasesOf(shop);
  const databases: ShopCounters['databases'] = new Map();
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    // Backends report their counts at most once a second while busy: a snapshot may miss the last second.
    const { rows } = await client.query<{ datname: string; xacts: string; ins: string; upd: string; del: string }>(
      `SELECT datname, xact_commit + xact_rollback AS xacts, tup_inserted AS ins, tup_updated AS upd, tup_deleted AS del FROM pg_stat_database WHERE datname = ANY($1)`,
      [[...byDatabase.keys()]],
    );
    for (const row of rows) {
      databases.set(byDatabase.get(row.datname)!, { transactions: Number(row.xacts), inserted: Number(row.ins), updated: Number(row.upd), deleted: Number(row.del) });
    }
  } finally {
    await client.end();
  }
  return { processes, databases };
}

/** What happened between two readings, per unit of work (per order, say). */
export function countersPer(before: ShopCounters, after: ShopCounters, units: number) {
  const per = (value: number) => value / units;
  const zero = { requests: 0, published: 0, consumed: 0 };
  return {
    processes: [...after.processes].map(([name, p]) => {
      const b = before.processes.get(name) ?? zero;
      return { name, requests: per(p.requests - b.requests), published: per(p.published - b.published), consumed: per(p.consumed - b.consumed) };
    }),
    databases: [...after.databases].map(([name, d]) => {
      const b = before.databases.get(name) ?? { transactions: 0, inserted: 0, updated: 0, deleted: 0 };
      return { name, transactions: per(d.transactions - b.transactions), rowsWritten: per(d.inserted - b.inserted + d.updated - b.updated + d.deleted - b.deleted) };
    }),
  };
}
