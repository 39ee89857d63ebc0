/**
 * Admin order listing benchmark (a script, not a test): starts the customer service (for the admin
 * login and the token keys), the order service and the gateway as their own processes on scratch
 * databases and a scratch vhost, loads 100,000 orders of a year straight into the order
 * database, then has autocannon call `GET /admin/orders` through the gateway with each filter,
 * and captures `EXPLAIN (ANALYZE, BUFFERS)` of the page and count queries the repository runs for
 * each. Writes its own section of docs/benchmarks.md. `pnpm bench:admin-orders` (BENCH_SECONDS,
 * BENCH_CONNECTIONS, BENCH_ORDERS to change the load).
 */
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { eventually, freePort, startShopProcess, testAmqpUrl, testDatabaseUrl, type ShopProcess } from '@shop/testkit';
import { listOrders, type OrderFilter } from '../services/order/src/db/order.repository';
import type { OrderDatabase } from '../services/order/src/db/schema';
import { isStopping, runBenchmark, track, writeBenchmarkSection } from './bench-kit';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const orderCount = Number(process.env.BENCH_ORDERS ?? 100_000);
const customerCount = 2_000;
const batchSize = 10_000;
const pageSize = 20;
const warmUpSeconds = Math.min(2, seconds);
const admin = { email: 'bench-admin@shop.local', password: 'Bench12345' };
const sectionHeading = '## Admin order listing through the gateway';

const children: Array<{ name: string; process: ShopProcess }> = [];
/** Ends this script's own connections to the order database (before it is dropped); set once they are open. */
let closeDatabase: () => Promise<void> = async () => undefined;

interface Scenario {
  name: string;
  /** The query string, as a client sends it. */
  query: Record<string, string>;
}

interface Plan {
  kind: 'page' | 'count';
  sql: string;
  text: string;
}

function start(name: string, entry: string, env: Record<string, string>): void {
  const shop = startShopProcess(entry, { LOG_LEVEL: 'warn', ...env });
  children.push({ name, process: shop });
  track(name, shop.child, () => shop.logs().slice(-20).map((line) => JSON.stringify(line)));
}

const ready = (opsPort: number, what: string) =>
  eventually(() => fetch(`http://127.0.0.1:${opsPort}/health/ready`).then((r) => r.ok), 120_000, `${what} to be ready`);

/**
 * A year of orders up to `end`, numbered in the order they were placed: customers drawn with a
 * skew (a few buy hundreds of times, most a few dozen), one to three lines, and a status that
 * follows the order's age (a few days to go from PENDING to DELIVERED; 6% cancelled).
 */
const seedSql = `
INSERT INTO orders (id, order_number, customer_id, email, status, line_items, currency, subtotal, shipping_cost, tax, total,
                    shipping_address, payment, created_at, updated_at, confirmed_at, tracking_number, carrier, shipped_at,
                    delivered_at, cancelled_at, cancel_reason)
SELECT md5('bench-order-' || o.i)::uuid,
       'ORD-' || extract(year FROM o.created_at AT TIME ZONE 'UTC') || '-' || lpad(o.i::text, 6, '0'),
       md5('bench-customer-' || o.c)::uuid, 'customer' || o.c || '@example.com', s.status,
       li.items, 'USD', li.subtotal, s.shipping, round(li.subtotal * 0.08), li.subtotal + s.shipping + round(li.subtotal * 0.08),
       jsonb_build_object('recipientName', 'Customer ' || o.c, 'street', (1 + o.c * 37 % 900) || ' Main St',
                          'city', (ARRAY['Springfield', 'Portland', 'Madison', 'Austin', 'Denver', 'Salem'])[1 + o.c % 6],
                          'state', (ARRAY['IL', 'OR', 'WI', 'TX', 'CO', 'MA'])[1 + o.c % 6],
                          'postalCode', (10000 + o.c * 7 % 89999)::text, 'country', 'US'),
       '{"method":"card","status":"captured","brand":"visa","last4":"4242"}'::jsonb,
       o.created_at, o.created_at,
       CASE WHEN s.status NOT IN ('PENDING', 'CANCELLED') THEN o.created_at + interval '4 seconds' END,
       CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN 'TRK' || lpad(o.i::text, 10, '0') END,
       CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN (ARRAY['UPS', 'DHL', 'FedEx'])[1 + o.i % 3] END,
       CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN o.created_at + interval '1 day' END,
       CASE WHEN s.status = 'DELIVERED' THEN o.created_at + interval '3 days' END,
       CASE WHEN s.status = 'CANCELLED' THEN o.created_at + interval '2 hours' END,
       CASE WHEN s.status = 'CANCELLED' THEN 'Customer changed their mind' END
FROM (
  SELECT i,
         floor($4::int * power(random(), 1.5))::int AS c,
         $3::timestamptz - interval '365 days' + ((i - 1) + random() * 0.9) * (interval '365 days' / $5::int) AS created_at,
         random() AS r,
         CASE WHEN random() < 0.55 THEN 1 WHEN random() < 0.67 THEN 2 ELSE 3 END AS lines
  FROM generate_series($1::int, $2::int) AS i
) o
CROSS JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object(
           'productId', md5('bench-product-' || l.p)::uuid, 'variantId', md5('bench-variant-' || l.p)::uuid,
           'productName', 'Product ' || l.p, 'variantName', 'Standard', 'sku', 'SKU-' || lpad(l.p::text, 5, '0'),
           'quantity', l.qty, 'unitPrice', jsonb_build_object('amount', l.price, 'currency', 'USD'),
           'subtotal', jsonb_build_object('amount', l.price * l.qty, 'currency', 'USD')) ORDER BY l.n) AS items,
         sum(l.price * l.qty)::bigint AS subtotal
  FROM (SELECT n, p, qty, 500 + p * 7919 % 9500 AS price
        FROM (SELECT n, 1 + floor(random() * 500)::int AS p, 1 + floor(random() * 3)::int AS qty FROM generate_series(1, o.lines) AS n) x) l
) li
CROSS JOIN LATERAL (
  SELECT CASE WHEN li.subtotal >= 5000 THEN 0 ELSE 500 END AS shipping,
         CASE
           WHEN o.r < 0.06 THEN 'CANCELLED'
           WHEN $3::timestamptz - o.created_at < interval '2 days' THEN CASE WHEN o.r < 0.20 THEN 'PENDING' ELSE 'CONFIRMED' END
           WHEN $3::timestamptz - o.created_at < interval '5 days' THEN CASE WHEN o.r < 0.36 THEN 'CONFIRMED' ELSE 'SHIPPED' END
           WHEN $3::timestamptz - o.created_at < interval '12 days' THEN CASE WHEN o.r < 0.56 THEN 'SHIPPED' ELSE 'DELIVERED' END
           ELSE CASE WHEN o.r < 0.07 THEN 'SHIPPED' ELSE 'DELIVERED' END
         END AS status
) s`;

async function seedOrders(client: pg.Client, end: Date): Promise<void> {
  // Same orders on every run (bar the dates); autovacuum kept off the table until the plans before the first vacuum are taken.
  await client.query('SELECT setseed(0.42)');
  await client.query('ALTER TABLE orders SET (autovacuum_enabled = false)');
  for (let first = 1; first <= orderCount; first += batchSize) {
    await client.query(seedSql, [first, Math.min(orderCount, first + batchSize - 1), end, customerCount, orderCount]);
    process.stdout.write('.');
  }
  await client.query(`SELECT setval('order_number_seq', $1)`, [orderCount]);
  await client.query('ANALYZE orders');
}

async function describeOrders(client: pg.Client) {
  const one = async <T>(text: string, values: unknown[] = []) => (await client.query<T & pg.QueryResultRow>(text, values)).rows;
  const statuses = await one<{ status: string; n: string }>('SELECT status, count(*) AS n FROM orders GROUP BY 1 ORDER BY 2 DESC');
  const [perCustomer] = await one<{ customers: string; most: string; median: string; fewest: string; heaviest: string }>(`
    SELECT count(*) AS customers, max(n) AS most, percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS median, min(n) AS fewest,
           (array_agg(customer_id ORDER BY n DESC))[1] AS heaviest
    FROM (SELECT customer_id, count(*) AS n FROM orders GROUP BY 1) c`);
  const lines = await one<{ lines: number; n: string }>('SELECT jsonb_array_length(line_items) AS lines, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1');
  const [middle] = await one<{ order_number: string }>('SELECT order_number FROM orders ORDER BY created_at OFFSET $1 LIMIT 1', [Math.floor(orderCount / 2)]);
  const [latest] = await one<{ order_number: string }>('SELECT order_number FROM orders ORDER BY created_at DESC LIMIT 1');
  const sizes = await one<{ name: string; size: string }>(`
    SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c
    WHERE c.oid = 'orders'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'orders'::regclass) ORDER BY c.relkind DESC, c.relname`);
  const [version] = await one<{ server_version: string }>('SHOW server_version');
  const [autovacuum] = await one<{ autovacuum: string }>('SHOW autovacuum');
  return {
    statuses, perCustomer: perCustomer!, lines, middleNumber: middle!.order_number, latestNumber: latest!.order_number, sizes,
    postgres: `PostgreSQL ${version!.server_version}`, autovacuum: autovacuum!.autovacuum === 'on',
  };
}

async function visibility(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ relpages: number; relallvisible: number }>(`SELECT relpages, relallvisible FROM pg_class WHERE oid = 'orders'::regclass`);
  return `${rows[0]!.relallvisible.toLocaleString('en-US')} of ${rows[0]!.relpages.toLocaleString('en-US')} pages all-visible`;
}

/** The filter the admin route hands to listOrders for this query string (services/order/src/http/admin-order.routes.ts). */
function filterOf(query: Record<string, string>): { filter: OrderFilter; page: { page: number; pageSize: number } } {
  const { status, customerId, from, to, q, page } = query;
  const filter: OrderFilter = { status: status as OrderFilter['status'], customerId, q: q?.trim(), from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
  return { filter, page: { page: Number(page ?? 1), pageSize: Number(query.pageSize ?? pageSize) } };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statements listOrders runs for a filter, with the same parameters. */
async function plansOf(db: Kysely<OrderDatabase>, captured: CompiledQuery[], query: Record<string, string>): Promise<Plan[]> {
  const { filter, page } = filterOf(query);
  captured.length = 0;
  await listOrders(db, filter, page);
  const plans: Plan[] = [];
  for (const statement of captured.splice(0)) {
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, [...statement.parameters]));
    plans.push({ kind: /count\(\*\)/.test(statement.sql) ? 'count' : 'page', sql: statement.sql, text: rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  return plans.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'page' ? -1 : 1));
}

/** The scans of orders in a plan, e.g. "Index Only Scan using orders_status_idx (2,500 rows)". */
function scansOf(plan: Plan): string {
  const scans = [...plan.text.matchAll(/((?:Parallel )?(?:Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)(?: Backward)?)(?: using (\S+))? on orders .*?actual time=\S+ rows=(\d+) loops=(\d+)/g)];
  const text = scans.map(([, node, index, rows, loops]) => `${node}${index ? ` using ${index}` : ''} (${(Number(rows) * Number(loops)).toLocaleString('en-US')} rows)`).join(', then ');
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan.text)?.[1];
  return `${text || 'no scan of orders'}${plan.text.includes('Sort Method') ? ', then a Sort' : ''}${ms ? `; ${fixed(Number(ms))} ms` : ''}`;
}

/** Milliseconds as plans show them: two decimals below one. */
const fixed = (ms: number) => ms.toFixed(ms < 1 ? 2 : 1);

const hasSeqScan = (plan: Plan) => /Seq Scan on orders/.test(plan.text);

/** Busy share of all cores over a few seconds (from /proc/stat), taken while the shop is idle: other work on the machine. */
async function busyShare(ms = 3_000): Promise<number | undefined> {
  const sample = async () => {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), idle: fields[3]! + fields[4]! };
  };
  try {
    const first = await sample();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const second = await sample();
    return 1 - (second.idle - first.idle) / (second.total - first.total);
  } catch {
    return undefined;
  }
}

async function login(api: string): Promise<string> {
  const response = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (!response.ok) throw new Error(`admin login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const routeOf = (scenario: Scenario) => `/admin/orders${Object.keys(scenario.query).length ? `?${new URLSearchParams(scenario.query)}` : ''}`;

async function main(): Promise<void> {
  const amqp = await testAmqpUrl();
  const [customer, order, gateway, customerOps, orderOps, gatewayOps] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const api = `${url(gateway)}/api/v1`;
  const orderDatabase = testDatabaseUrl('bench_order');
  // No checkout is made: the order service's other upstreams point at a port nothing listens on.
  const nowhere = 'http://127.0.0.1:9';
  process.stdout.write('starting customer, order and gateway ... ');
  start('customer', 'services/customer/src/main.ts', {
    PORT: String(customer), OPS_PORT: String(customerOps), DATABASE_URL: testDatabaseUrl('bench_customer'), AMQP_URL: amqp, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password,
  });
  start('order', 'services/order/src/main.ts', {
    PORT: String(order), OPS_PORT: String(orderOps), DATABASE_URL: orderDatabase, AMQP_URL: amqp, JWKS_URL: `${url(customer)}/auth/jwks`,
    CUSTOMER_SERVICE_URL: url(customer), CART_SERVICE_URL: nowhere, INVENTORY_SERVICE_URL: nowhere, PAYMENT_SERVICE_URL: nowhere,
  });
  await ready(customerOps, 'customer');
  await ready(orderOps, 'order');
  start('gateway', 'gateway/src/main.ts', {
    PORT: String(gateway), OPS_PORT: String(gatewayOps), AMQP_URL: amqp, CUSTOMER_SERVICE_URL: url(customer), ORDER_SERVICE_URL: url(order),
    RATE_LIMIT_MAX: '100000000', AUTH_RATE_LIMIT_MAX: '100000000',
  });
  await ready(gatewayOps, 'gateway');
  process.stdout.write('ready\n');

  const client = new pg.Client({ connectionString: orderDatabase });
  const pool = new pg.Pool({ connectionString: orderDatabase, max: 2 });
  // A connection cut while stopping (the database dropped) is no news.
  const cut = (err: Error) => void (isStopping() || console.error('order database:', err.message));
  client.on('error', cut);
  pool.on('error', cut);
  await client.connect();
  const captured: CompiledQuery[] = [];
  const db = new Kysely<OrderDatabase>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && !event.query.sql.startsWith('EXPLAIN')) captured.push(event.query);
    },
  });
  let closed: Promise<void> | undefined;
  closeDatabase = () => (closed ??= Promise.allSettled([client.end(), db.destroy()]).then(() => undefined));
  try {
    process.stdout.write(`seeding ${orderCount.toLocaleString('en-US')} orders `);
    const seedStarted = Date.now();
    await seedOrders(client, new Date());
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    process.stdout.write(` done in ${seedSeconds.toFixed(0)} s\n`);
    const data = await describeOrders(client);

    const now = new Date();
    const month = { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)).toISOString(), to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1)).toISOString() };
    const scenarios: Scenario[] = [
      { name: 'no filter, page 1', query: {} },
      { name: 'no filter, page 200', query: { page: '200' } },
      { name: 'status=SHIPPED', query: { status: 'SHIPPED' } },
      { name: 'status=DELIVERED (the largest status)', query: { status: 'DELIVERED' } },
      { name: 'customerId (the heaviest customer)', query: { customerId: data.perCustomer.heaviest } },
      { name: `from/to (${month.from.slice(0, 7)}, one month)`, query: month },
      { name: `q=${data.middleNumber.slice(0, -1)} (order-number prefix)`, query: { q: data.middleNumber.slice(0, -1) } },
      { name: `q=${data.latestNumber.slice(0, 8)} (a broad prefix)`, query: { q: data.latestNumber.slice(0, 8) } },
      { name: 'status=CANCELLED + from/to (one month)', query: { status: 'CANCELLED', ...month } },
    ];

    // Right after the load, before any vacuum: the visibility map is empty.
    process.stdout.write('plans before the first vacuum ... ');
    const beforeVisibility = await visibility(client);
    const before = new Map<string, Plan[]>();
    for (const scenario of scenarios) before.set(scenario.name, await plansOf(db, captured, scenario.query));
    process.stdout.write('done; VACUUM (ANALYZE) orders ... ');
    await client.query('VACUUM (ANALYZE) orders');
    await client.query('ALTER TABLE orders RESET (autovacuum_enabled)');
    const afterVisibility = await visibility(client);
    process.stdout.write('done\n');

    const idleBusy = await busyShare();
    process.stdout.write(`other work on the machine before the load: ${idleBusy === undefined ? 'not measured' : `${(idleBusy * 100).toFixed(0)}% of the cores`}\n`);
    const results: Array<{ scenario: Scenario; total: number; result: autocannon.Result }> = [];
    for (const scenario of scenarios) {
      const token = await login(api);
      const answer = await fetch(`${api}${routeOf(scenario)}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await answer.json()) as { total: number; items: unknown[] };
      if (answer.status !== 200) throw new Error(`${routeOf(scenario)}: ${answer.status} ${JSON.stringify(body)}`);
      const options = { url: `${api}${routeOf(scenario)}`, connections, headers: { authorization: `Bearer ${token}` } };
      await autocannon({ ...options, duration: warmUpSeconds });
      process.stdout.write(`${scenario.name} (${body.total} orders) ... `);
      const result = await autocannon({ ...options, duration: seconds });
      process.stdout.write(`${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}\n`);
      results.push({ scenario, total: body.total, result });
    }

    process.stdout.write('plans after VACUUM ... ');
    const after = new Map<string, Plan[]>();
    for (const scenario of scenarios) after.set(scenario.name, await plansOf(db, captured, scenario.query));
    process.stdout.write('done\n');
    const warnings = children.flatMap(({ name, process: p }) => p.logs().filter((l) => l.level === 'warn' || l.level === 'error').map((l) => `${name}: ${String(l.message)}`));

    for (const scenario of scenarios) {
      const scans = (plans: Plan[]) => plans.map((p) => `${p.kind}: ${scansOf(p)}`).join('; ');
      console.log(`${scenario.name}\n  before vacuum  ${scans(before.get(scenario.name)!)}\n  after vacuum   ${scans(after.get(scenario.name)!)}`);
    }
    await writeSection({ scenarios, results, before, after, beforeVisibility, afterVisibility, data, seedSeconds, warnings, month, idleBusy });
  } finally {
    await closeDatabase();
  }
}

async function writeSection(report: {
  scenarios: Scenario[];
  results: Array<{ scenario: Scenario; total: number; result: autocannon.Result }>;
  before: Map<string, Plan[]>;
  after: Map<string, Plan[]>;
  beforeVisibility: string;
  afterVisibility: string;
  data: Awaited<ReturnType<typeof describeOrders>>;
  seedSeconds: number;
  warnings: string[];
  month: { from: string; to: string };
  idleBusy: number | undefined;
}): Promise<void> {
  const { data, results } = report;
  const n = (value: number | string) => Number(value).toLocaleString('en-US');
  const rows = results.map(({ scenario, total, result }) =>
    `| \`GET ${routeOf(scenario).replace(/\|/g, '\\|')}\` | ${scenario.name} | ${n(total)} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${result.errors} / ${result.timeouts} |`,
  );
  const summary = report.scenarios.map((s) => {
    const cell = (plans: Plan[], kind: Plan['kind']) => {
      const plan = plans.find((p) => p.kind === kind);
      return plan ? `${hasSeqScan(plan) ? '**' : ''}${scansOf(plan)}${hasSeqScan(plan) ? '**' : ''}` : 'n/a';
    };
    return `| ${s.name} | ${cell(report.after.get(s.name)!, 'page')} | ${cell(report.after.get(s.name)!, 'count')} | ${cell(report.before.get(s.name)!, 'count')} |`;
  });
  const seqAfter = report.scenarios.flatMap((s) => report.after.get(s.name)!.filter(hasSeqScan).map((p) => `${s.name} (${p.kind})`));
  const seqBefore = report.scenarios.flatMap((s) => report.before.get(s.name)!.filter(hasSeqScan).map((p) => ({ scenario: s, plan: p })));
  const wholeIndex = report.scenarios.filter((s) => (results.find((r) => r.scenario === s)?.total ?? 0) >= orderCount / 2);
  const countsOnly = seqAfter.length === 0 && seqBefore.every((f) => f.plan.kind === 'count');
  const verdict = [
    seqAfter.length === 0
      ? `**No plan scans the orders table once it has been vacuumed**: every page query and every count walks an index (the table above).${
          wholeIndex.length
            ? ` The counts of ${wholeIndex.map((s) => `*${s.name}*`).join(', ')} read most or all of an index, though: one index entry per matching order, which is nearly every row of the table.`
            : ''
        }`
      : `**Seq Scan on orders after VACUUM**: ${seqAfter.join(', ')}. See the plans below.`,
    seqBefore.length === 0
      ? 'Nor does any plan right after the load, before the first vacuum.'
      : `**Right after the load, before the first vacuum, ${seqBefore.length === 1 ? 'one statement is a Seq Scan' : `${seqBefore.length} statements are Seq Scans`} on orders**: ${seqBefore
          .map((f) => `the ${f.plan.kind} query of *${f.scenario.name}*`)
          .join(', ')}${
          countsOnly
            ? `. Each counts a large share of the table. With no page marked all-visible (${report.beforeVisibility}), an index-only
scan would have to visit the heap for every matching row as well, so PostgreSQL reads the heap once in order instead; the
same counts are index-only scans without heap fetches after the vacuum. PostgreSQL's autovacuum vacuums a table after
inserts too (autovacuum_vacuum_insert_threshold), so a live orders table is normally in the second state, recently changed
pages (a status change is an update) aside${
                data.autovacuum
                  ? ' (this script keeps autovacuum off the table until it has taken these plans)'
                  : `; autovacuum is off on this benchmark's PostgreSQL, and where it is off the table stays in the first
state until someone runs VACUUM`
              }. Either way such a count reads every matching row, from an index or from the heap: an exact
total of most of ${n(orderCount)} orders costs milliseconds to tens of milliseconds per request, and no index makes it cheaper.`
            : '. See the plans at the end of this section.'
        }`,
  ].join('\n\n');
  // What the rows cost in the database: the page and the count, from the plans taken after the vacuum.
  const msOf = (s: Scenario, kind: Plan['kind']) => Number(/Execution Time: ([\d.]+) ms/.exec(report.after.get(s.name)!.find((p) => p.kind === kind)?.text ?? '')?.[1] ?? NaN);
  const large = results.filter((r) => r.total >= orderCount / 2);
  const small = results.filter((r) => r.total < orderCount / 2);
  const range = (list: typeof results) => {
    const values = list.map((r) => r.result.requests.average);
    return `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
  };
  const [unfiltered, deep] = [report.scenarios[0]!, report.scenarios[1]!];
  const separated = large.length > 0 && small.length > 0 && Math.max(...large.map((r) => r.result.requests.average)) < Math.min(...small.map((r) => r.result.requests.average));
  const reading =
    large.length && small.length
      ? `Reading these figures: ${separated ? 'the rows split by how many orders the filter matches, not by which filter it is. ' : ''}Requests whose filter matches
most of the table (${large.map((r) => r.scenario.name).join('; ')}) answer ${range(large)} requests/s, the
others ${range(small)}. Every request counts its matching orders for \`total\`, and the count reads one index entry per
order: ${fixed(msOf(unfiltered, 'count'))} ms in PostgreSQL for all ${n(orderCount)}, against ${fixed(msOf(unfiltered, 'page'))} ms for the page of ${pageSize} itself (the
plans below). A deep page costs more as well: page 200 walks past ${n((200 - 1) * pageSize)} orders first (${fixed(msOf(deep, 'page'))} ms), and the
cost grows with the page number (the route accepts up to page 10,000). An index cannot make either cheaper; a capped
count (\`SELECT count(*) FROM (SELECT 1 ... LIMIT 10001)\`, answered as "10,000 or more"), a total only on request, or
keyset pagination (after the last \`created_at, id\` seen, which the indexes ending in \`created_at DESC, id DESC\` already serve)
would.`
      : '';
  const planBlocks = (plans: Map<string, Plan[]>, heading: string, only?: (plan: Plan) => boolean) =>
    report.scenarios
      .map((s) => {
        const chosen = plans.get(s.name)!.filter((p) => !only || only(p));
        if (chosen.length === 0) return '';
        return `${heading} ${s.name}\n\n\`GET ${routeOf(s)}\`\n\n${chosen.map((p) => '```\n' + `${p.sql}\n\n${p.text}` + '\n```').join('\n\n')}`;
      })
      .filter(Boolean)
      .join('\n\n');
  const beforeBlocks = planBlocks(report.before, '####', hasSeqScan);
  const section = `${sectionHeading}

Measured by \`pnpm bench:admin-orders\` (scripts/bench-admin-orders.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} CPU cores
(${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${report.data.postgres}. autocannon
with ${connections} connections and one admin token calls one URL for ${seconds} s per row (after an unrecorded ${warmUpSeconds} s
warm-up), through the gateway, which verifies the token and the admin role and proxies to the order service;
the customer service (admin login, token keys), the order service, the gateway, PostgreSQL and autocannon
share the cores. ${
    report.idleBusy === undefined
      ? ''
      : `Just before the rows, with the shop idle, other work kept ${(report.idleBusy * 100).toFixed(0)}% of the cores busy${report.idleBusy >= 0.1 ? ', so these figures are lower than on a quiet machine' : ''}.`
  }

The order database holds ${n(orderCount)} orders, loaded with SQL in ${report.seedSeconds.toFixed(0)} s: one year of them up to the run,
evenly spread, numbered \`ORD-<year>-<6 digits>\` in the order they were placed, from ${n(data.perCustomer.customers)} customers
drawn with a skew (${n(data.perCustomer.most)} orders for the heaviest, a median of ${n(data.perCustomer.median)}, ${n(data.perCustomer.fewest)} for the lightest),
${data.lines.map((l) => `${n(l.n)} with ${l.lines} line${l.lines === 1 ? '' : 's'}`).join(', ')}, each paid by card. Statuses follow an order's age:
PENDING or CONFIRMED in its first two days, CONFIRMED or SHIPPED until day 5, SHIPPED or DELIVERED until day 12,
then DELIVERED (1% never marked delivered); 6% cancelled at any age. That makes
${data.statuses.map((s) => `${s.status} ${n(s.n)}`).join(', ')}.
Sizes: ${data.sizes.map((s) => `${s.name} ${s.size}`).join(', ')}.
After the load, \`VACUUM (ANALYZE) orders\` (${report.afterVisibility}); the load ran on that state.

Each request runs the page query (20 orders, newest first) and a \`count(*)\` of the same filter for
\`total\` (services/order/src/db/order.repository.ts \`listOrders\`). The month is ${report.month.from.slice(0, 10)} to ${report.month.to.slice(0, 10)}.

| request | filter | matching orders | requests/s | p50 ms | p99 ms | non-2xx | errors / timeouts |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

${reading}

Log lines at warn or above from the three processes: ${report.warnings.length === 0 ? 'none' : `${report.warnings.length}, e.g. ${report.warnings.slice(0, 3).join('; ')}`}.

### Query plans of \`GET /admin/orders\`

\`EXPLAIN (ANALYZE, BUFFERS)\` of the two statements \`listOrders\` runs for each row above, with
the same parameters: the script calls the repository's \`listOrders\` on a Kysely instance that
records the SQL it compiles, then explains each statement. Taken after the load runs, so the
buffers are warm. The scans of orders in each plan (rows read, execution time; bold: a Seq Scan):

| filter | page query | count query | count query right after the load, before the first vacuum |
| --- | --- | --- | --- |
${summary.join('\n')}

${verdict}

${planBlocks(report.after, '###')}
${
  beforeBlocks
    ? `
### Plans with a Seq Scan right after the load, before the first vacuum (${report.beforeVisibility})

${beforeBlocks}
`
    : ''
}`;
  await writeBenchmarkSection(sectionHeading, section);
}

runBenchmark(main, { beforeStop: () => closeDatabase() });
