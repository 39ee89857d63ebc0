/**
 * Checkout benchmark (a script, not a test): starts the whole shop (bench-shop.ts: mail sink,
 * sandbox payment provider, every service, the notification worker and the gateway, each its own
 * process running its compiled JavaScript) on scratch databases and a scratch vhost, prepares
 * verified buyers with an address and products with 1,000,000 units each, then has autocannon
 * drive one connection per buyer through the gateway, each repeating [POST /cart/items,
 * POST /orders]. It waits for every order's confirmation mail at the sink and for the provider's
 * webhook to confirm every order, and writes the figures into the checkout section of
 * docs/benchmarks.md. `pnpm bench:checkout` (BENCH_SECONDS, BENCH_BUYERS to change the load;
 * BENCH_PROFILE to have every process write a CPU profile there). Another script runs the
 * same row on a shop it started with `checkoutRow(shop)` and writes it with `checkoutSection`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuSnapshot, cpuUse, percentile, runBenchmark, writeBenchmarkSection } from './bench-kit';
import { buildShop, countersPer, postgresBackendsOf, readCounters, shopProcessNames, startShop, type Shop } from './bench-shop';

const productCount = 3;
const idleSeconds = 5;
const outcomeWaitMs = 60_000;
// The sink keeps only its newest 1000 mails (packages/mail-sink MailStore).
const sinkCapacity = 1000;
const address = { recipientName: 'Ada Lovelace', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
const card = { method: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' };
const sectionHeading = '## Checkout through the gateway';

interface Buyer {
  email: string;
  token: string;
  addressId: string;
}

/** One answered POST /orders: when it was sent (both clocks) and what came back. */
interface OrderSample {
  sentAtWall: number;
  latencyMs: number;
  status: number;
  orderNumber?: string;
}

interface LoadResult {
  elapsedSeconds: number;
  endedAtWall: number;
  orders: OrderSample[];
  cartLatencies: number[];
  /** `POST /orders 409` and the like: every answer that was not 201, counted. */
  refusals: Map<string, number>;
  autocannon: autocannon.Result;
}

interface Outcomes {
  /** Each recorded order's POST /orders send time and its mail's receipt at the sink (wall clock, ms). */
  mails: Array<{ sentAtWall: number; receivedAt: number }>;
  confirmed: number;
  statuses: Map<string, number>;
  /** Orders the buyers hold that no recorded 201 names: placed by requests cut off at the end. */
  unanswered: number;
  waitedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(base: string, method: string, route: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many shapes, read field by field
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function expectStatus<T extends { status: number; body: unknown }>(expected: number, what: string, answer: Promise<T>): Promise<T> {
  const result = await answer;
  if (result.status !== expected) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result;
}

interface SinkMessage {
  ID: string;
  To: Array<{ Address: string }>;
  Subject: string;
  Created: string;
}

async function sinkMessages(mailUrl: string, query = ''): Promise<SinkMessage[]> {
  const route = query ? `/api/v1/search?limit=${sinkCapacity}&query=${encodeURIComponent(query)}` : `/api/v1/messages?limit=${sinkCapacity}`;
  return ((await call(mailUrl, 'GET', route)).body as { messages: SinkMessage[] }).messages;
}

/** Registers, verifies through the mailed link, logs in and saves an address, as a shopper would. */
async function verifiedBuyer(api: string, mailUrl: string, index: number): Promise<Buyer> {
  const email = `bench-buyer-${index}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'buyer-pass-1';
  await expectStatus(201, 'registration', call(api, 'POST', '/customers', { body: { email, password, firstName: 'Ada', lastName: 'Lovelace' } }));
  const deadline = Date.now() + 30_000;
  let mail: SinkMessage | undefined;
  while (!(mail = (await sinkMessages(mailUrl, `to:${email}`))[0])) {
    if (Date.now() > deadline) throw new Error(`no verification mail for ${email}`);
    await sleep(200);
  }
  const text = ((await call(mailUrl, 'GET', `/api/v1/message/${mail.ID}`)).body as { Text: string }).Text;
  await expectStatus(200, 'verification', call(api, 'POST', '/customers/verify', { body: { token: /token=([A-Za-z0-9_-]+)/.exec(text)?.[1] } }));
  const token = (await expectStatus(200, 'login', call(api, 'POST', '/auth/login', { body: { email, password } }))).body.accessToken as string;
  const saved = await expectStatus(201, 'address', call(api, 'POST', '/customers/me/addresses', { body: address, token }));
  return { email, token, addressId: saved.body.id as string };
}

/**
 * One autocannon connection per buyer, each repeating [POST /cart/items, POST /orders]. A
 * buyer's token is bound to its connection in `setupClient`: autocannon clears a connection's
 * context each time its request list starts over, so the context cannot carry it.
 */
async function checkoutLoad(gatewayUrl: string, buyers: Buyer[], productIds: string[], duration: number): Promise<LoadResult> {
  const orders: OrderSample[] = [];
  const cartLatencies: number[] = [];
  const refusals = new Map<string, number>();
  const refused = (route: string, status: number) => refusals.set(`${route} ${status}`, (refusals.get(`${route} ${status}`) ?? 0) + 1);
  let nextBuyer = 0;
  const started = performance.now();
  const result = await autocannon({
    url: gatewayUrl,
    connections: buyers.length,
    duration,
    setupClient: (client) => {
      const index = nextBuyer++;
      const buyer = buyers[index % buyers.length]!;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` };
      const orderBody = JSON.stringify({ shippingAddressId: buyer.addressId, payment: card });
      let line = index;
      let cartSentAt = 0;
      let sentAt = 0;
      let sentAtWall = 0;
      // setupRequest runs as autocannon writes the request and onResponse as it parses the answer,
      // so their difference is the request's own latency, which autocannon's histogram mixes with the cart's.
      client.setRequests([
        {
          method: 'POST',
          path: '/api/v1/cart/items',
          headers,
          setupRequest: (request) => {
            line += 1;
            cartSentAt = performance.now();
            return { ...request, body: JSON.stringify({ productId: productIds[line % productIds.length], quantity: 1 }) };
          },
          onResponse: (status) => {
            cartLatencies.push(performance.now() - cartSentAt);
            if (status !== 201) refused('POST /cart/items', status);
          },
        },
        {
          method: 'POST',
          path: '/api/v1/orders',
          setupRequest: (request) => {
            sentAt = performance.now();
            sentAtWall = Date.now();
            return { ...request, headers: { ...headers, 'idempotency-key': randomUUID() }, body: orderBody };
          },
          onResponse: (status, body) => {
            const sample: OrderSample = { sentAtWall, latencyMs: performance.now() - sentAt, status };
            if (status === 201) sample.orderNumber = (JSON.parse(body) as { orderNumber: string }).orderNumber;
            else refused('POST /orders', status);
            orders.push(sample);
          },
        },
      ]);
    },
  });
  return { elapsedSeconds: (performance.now() - started) / 1000, endedAtWall: Date.now(), orders, cartLatencies, refusals, autocannon: result };
}

/** Every order of the buyers with its status, a page of 100 at a time. */
async function ordersOf(api: string, buyers: Buyer[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await Promise.all(
    buyers.map(async (buyer) => {
      for (let page = 1; ; page += 1) {
        const { body } = await expectStatus(200, 'order list', call(api, 'GET', `/orders?page=${page}&pageSize=100`, { token: buyer.token }));
        for (const order of body.items as Array<{ orderNumber: string; status: string }>) statuses.set(order.orderNumber, order.status);
        if (page * 100 >= body.total) break;
      }
    }),
  );
  return statuses;
}

/**
 * Waits (up to outcomeWaitMs) until every order the buyers placed since `known` is CONFIRMED and
 * its confirmation mail is at the sink, then measures the mails' delays for the recorded orders.
 */
async function awaitOutcomes(api: string, mailUrl: string, buyers: Buyer[], orders: OrderSample[], known: Set<string>): Promise<Outcomes> {
  const placed = new Map(orders.filter((o) => o.orderNumber).map((o) => [o.orderNumber!, o]));
  const started = Date.now();
  const mails = new Map<string, number>();
  let statuses = new Map<string, string>();
  for (;;) {
    for (const message of await sinkMessages(mailUrl)) {
      const orderNumber = /order (ORD-\S+)/.exec(message.Subject)?.[1];
      if (orderNumber && !mails.has(orderNumber)) mails.set(orderNumber, Date.parse(message.Created));
    }
    statuses = await ordersOf(api, buyers);
    // Orders placed by requests cut off at the end are waited for too: their mails are still on the way.
    const fresh = [...new Set([...placed.keys(), ...[...statuses.keys()].filter((number) => !known.has(number))])];
    const done = fresh.every((number) => mails.has(number) && statuses.get(number) === 'CONFIRMED');
    if (done || Date.now() - started > outcomeWaitMs) break;
    await sleep(1_000);
  }
  const ours = [...statuses].filter(([number]) => !known.has(number));
  const count = new Map<string, number>();
  for (const [, status] of ours) count.set(status, (count.get(status) ?? 0) + 1);
  return {
    mails: [...placed]
      .filter(([number]) => mails.has(number))
      .map(([number, order]) => ({ sentAtWall: order.sentAtWall, receivedAt: mails.get(number)! }))
      .sort((a, b) => a.sentAtWall - b.sentAtWall),
    confirmed: count.get('CONFIRMED') ?? 0,
    statuses: count,
    unanswered: ours.filter(([number]) => !placed.has(number)).length,
    waitedMs: Date.now() - started,
  };
}

/**
 * Where a confirmation mail's time went, from the notification worker's own records: from
 * POST /orders to the worker taking the order.placed event (the row's created_at), then from
 * there to the mail sent (sent_at); and the gaps between one mail sent and the next, which is
 * the time the worker spends on each mail while it has a queue.
 */
async function mailStages(databaseUrl: string, orders: OrderSample[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ subject: string; created_at: Date; sent_at: Date }>(
      `SELECT subject, created_at, sent_at FROM notifications WHERE template = 'order-confirmation' AND status = 'sent'`,
    );
    const sent = new Map(rows.map((r) => [/order (ORD-\S+)/.exec(r.subject)?.[1], r]));
    const stages = { taken: [] as number[], sent: [] as number[], gap: [] as number[] };
    const sentTimes: number[] = [];
    for (const order of orders) {
      const row = order.orderNumber ? sent.get(order.orderNumber) : undefined;
      if (!row) continue;
      stages.taken.push(row.created_at.getTime() - order.sentAtWall);
      stages.sent.push(row.sent_at.getTime() - row.created_at.getTime());
      sentTimes.push(row.sent_at.getTime());
    }
    sentTimes.sort((a, b) => a - b);
    for (let i = 1; i < sentTimes.length; i += 1) stages.gap.push(sentTimes[i]! - sentTimes[i - 1]!);
    return stages;
  } finally {
    await client.end();
  }
}

/** The run's figures: throughput, latencies, and whether the mail path kept pace. */
function figuresOf(load: LoadResult, outcomes: Outcomes) {
  const placed = load.orders.filter((o) => o.status === 201);
  const delays = outcomes.mails.map((m) => m.receivedAt - m.sentAtWall);
  // Delays early and late in the run, and mails delivered while it ran: did the mail path keep pace?
  const fifth = Math.max(1, Math.floor(delays.length / 5));
  return {
    placed: placed.length,
    ordersPerSecond: placed.length / load.elapsedSeconds,
    orderP50: percentile(load.orders.map((o) => o.latencyMs), 50),
    orderP99: percentile(load.orders.map((o) => o.latencyMs), 99),
    cartP50: percentile(load.cartLatencies, 50),
    cartP99: percentile(load.cartLatencies, 99),
    mailP50: percentile(delays, 50),
    mailP99: percentile(delays, 99),
    mailFirstFifthP50: percentile(delays.slice(0, fifth), 50),
    mailLastFifthP50: percentile(delays.slice(-fifth), 50),
    mailsPerSecondDuringRun: outcomes.mails.filter((m) => m.receivedAt <= load.endedAtWall).length / load.elapsedSeconds,
    lastMailAfterRunS: outcomes.mails.length ? (Math.max(...outcomes.mails.map((m) => m.receivedAt)) - load.endedAtWall) / 1000 : NaN,
  };
}

export interface CheckoutRowOptions {
  /** Length of the recorded run (default 20 s). */
  seconds?: number;
  /** Buyers, each one autocannon connection (default 10). */
  buyers?: number;
}

/** Everything a checkout run measured, for `checkoutSection` and the console. */
export interface CheckoutRow {
  seconds: number;
  buyerCount: number;
  idleSeconds: number;
  warmUpSeconds: number;
  load: LoadResult;
  outcomes: Outcomes;
  figures: ReturnType<typeof figuresOf>;
  stages: Array<{ stage: string; p50: number; p99: number }>;
  cpu: ReturnType<typeof cpuUse> | undefined;
  /** CPU use of the same processes at rest, just before the recorded run. */
  idle: ReturnType<typeof cpuUse> | undefined;
  /**
   * The groups of `cpu` that are the shop: its processes, the load generator, the PostgreSQL
   * connections to its databases and RabbitMQ (one process for every vhost: what it did for other
   * work on the machine counts too). PostgreSQL's other processes are not: they serve every database.
   */
  shopNames: ReadonlySet<string>;
  /** HTTP requests, events, transactions and rows written per placed order. */
  costs: ReturnType<typeof countersPer>;
  refusals: string;
  logs: string;
  logSamples: string[];
  /** When the recorded run began and ended on the monotonic clock V8's CPU profiles use (µs). */
  window: { startUs: number; endUs: number };
}

/**
 * The checkout row on a started shop: prepares products and verified buyers through the gateway,
 * runs an unrecorded warm-up (its orders confirmed and mailed before going on), then the recorded
 * run, and waits for every order's mail and confirmation.
 */
export async function checkoutRow(shop: Shop, options: CheckoutRowOptions = {}): Promise<CheckoutRow> {
  const seconds = options.seconds ?? 20;
  const buyerCount = options.buyers ?? 10;
  const warmUpSeconds = Math.min(3, seconds);
  const { apiUrl: api, mailUrl } = shop;
  const notificationDatabase = shop.processes.notification.databaseUrl!;

  // Warnings and errors are evidence for the report: counted per process while recording, and shown.
  const logCounts = new Map<string, number>();
  const logSamples: string[] = [];
  let recording = false;
  const stopListening = shop.onLine((name, line) => {
    if (!recording) return;
    const key = `${name} ${levelOf(line)}`;
    logCounts.set(key, (logCounts.get(key) ?? 0) + 1);
    if (logSamples.length < 5) logSamples.push(`${name}: ${line.slice(0, 300)}`);
  });

  try {
    process.stdout.write(`preparing ${productCount} products and ${buyerCount} verified buyers ... `);
    const adminToken = (await expectStatus(200, 'admin login', call(api, 'POST', '/auth/login', { body: shop.admin }))).body.accessToken as string;
    const category = await expectStatus(201, 'category', call(api, 'POST', '/admin/categories', { body: { name: `Bench checkout ${randomUUID().slice(0, 8)}` }, token: adminToken }));
    const productIds: string[] = [];
    for (let i = 1; i <= productCount; i += 1) {
      const body = { name: `Bench teapot ${i}`, description: 'For the checkout benchmark.', price: { amount: 2000, currency: 'USD' }, categoryId: category.body.id, status: 'active', initialStock: 1_000_000 };
      productIds.push((await expectStatus(201, 'product', call(api, 'POST', '/admin/products', { body, token: adminToken }))).body.id as string);
    }
    const buyers = await Promise.all(Array.from({ length: buyerCount }, (_, i) => verifiedBuyer(api, mailUrl, i)));
    // The cart learns products from the catalog's events: wait until it takes each (the first order carries them).
    for (const productId of productIds) {
      const deadline = Date.now() + 30_000;
      while ((await call(api, 'POST', '/cart/items', { body: { productId, quantity: 1 }, token: buyers[0]!.token })).status !== 201) {
        if (Date.now() > deadline) throw new Error(`the cart did not learn product ${productId}`);
        await sleep(250);
      }
    }
    process.stdout.write('done\n');

    // An unrecorded warm-up (JIT, pools); its orders are confirmed and mailed before the recorded run starts.
    process.stdout.write(`warm-up, ${warmUpSeconds} s ... `);
    const warmUp = await checkoutLoad(shop.gatewayUrl, buyers, productIds, warmUpSeconds);
    const warmed = await awaitOutcomes(api, mailUrl, buyers, warmUp.orders, new Set());
    await sleep(2_000);
    const known = new Set((await ordersOf(api, buyers)).keys());
    process.stdout.write(`${warmed.confirmed} orders confirmed\n`);
    await call(mailUrl, 'DELETE', '/api/v1/messages');

    // What the shop costs at rest (polls, timers, probes): a cost per second, not per order.
    process.stdout.write(`the shop at rest, ${idleSeconds} s ... `);
    const idleBefore = await cpuSnapshot();
    await sleep(idleSeconds * 1000);
    const idleAfter = await cpuSnapshot();
    process.stdout.write('done\n');

    process.stdout.write(`checkout with ${buyerCount} buyers for ${seconds} s ... `);
    recording = true;
    const countersBefore = await readCounters(shop);
    const backendsBefore = await postgresBackendsOf(shop);
    const cpuBefore = await cpuSnapshot();
    const startUs = monotonicUs();
    const load = await checkoutLoad(shop.gatewayUrl, buyers, productIds, seconds);
    const endUs = monotonicUs();
    const cpuAfter = await cpuSnapshot();
    const countersAfter = await readCounters(shop);
    const backends = new Map([...backendsBefore, ...(await postgresBackendsOf(shop))]);
    process.stdout.write('done; waiting for mails and confirmations ... ');
    const outcomes = await awaitOutcomes(api, mailUrl, buyers, load.orders, known);
    recording = false;
    process.stdout.write('done\n');

    const figures = figuresOf(load, outcomes);
    const stages = Object.entries(await mailStages(notificationDatabase, load.orders)).map(([stage, values]) => ({ stage, p50: percentile(values, 50), p99: percentile(values, 99) }));
    const names = new Map<number, string>(Object.values(shop.processes).map((p) => [p.pid, p.name]));
    names.set(process.pid, 'bench (autocannon)');
    // A connection is a PostgreSQL process of its own: each database's share of the server's CPU.
    for (const [pid, name] of backends) names.set(pid, postgresOf(name));
    return {
      seconds,
      buyerCount,
      idleSeconds,
      warmUpSeconds,
      load,
      outcomes,
      figures,
      stages,
      cpu: cpuBefore && cpuAfter ? cpuUse(cpuBefore, cpuAfter, names) : undefined,
      idle: idleBefore && idleAfter ? cpuUse(idleBefore, idleAfter, names) : undefined,
      shopNames: new Set([...shopProcessNames, ...shopProcessNames.map(postgresOf), 'bench (autocannon)', 'RabbitMQ']),
      costs: countersPer(countersBefore, countersAfter, Math.max(1, figures.placed)),
      refusals: [...load.refusals].map(([what, n]) => `${n} x ${what}`).join(', ') || 'none',
      logs: [...logCounts].map(([what, n]) => `${n} x ${what}`).join(', ') || 'none',
      logSamples,
      window: { startUs, endUs },
    };
  } finally {
    stopListening();
  }
}

/** The name a database's PostgreSQL connections go by in the CPU table. */
const postgresOf = (name: string) => `PostgreSQL: ${name}'s database`;

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function levelOf(line: string): string {
  try {
    return String((JSON.parse(line) as { level?: unknown }).level ?? 'unknown');
  } catch {
    return 'text';
  }
}

/** CPU milliseconds per placed order of a group that used `percent` of a core during the run. */
function msPerOrder(row: CheckoutRow, percent: number): number {
  return row.figures.placed > 0 ? ((percent / 100) * row.load.elapsedSeconds * 1000) / row.figures.placed : NaN;
}

function printRow(row: CheckoutRow): void {
  const { load, outcomes, figures, cpu } = row;
  const stages = row.stages.map((s) => `${s.stage} ${s.p50.toFixed(0)} / ${s.p99.toFixed(0)} ms`).join(', ');
  const shopCpu = cpu?.groups.filter((g) => row.shopNames.has(g.name)) ?? [];
  const restCpu = row.idle?.groups.filter((g) => row.shopNames.has(g.name)) ?? [];
  const cpuLine = cpu
    ? `${cpu.busyPercent.toFixed(0)}% of ${os.cpus().length} cores busy; ${cpu.groups
        .filter((g) => g.percent >= 1)
        .map((g) => `${g.name} ${g.percent.toFixed(0)}%`)
        .join(', ')}; of one core each`
    : 'not available';
  console.log(`
orders placed (201)        ${figures.placed} in ${load.elapsedSeconds.toFixed(1)} s: ${figures.ordersPerSecond.toFixed(1)} orders/s
POST /orders               p50 ${figures.orderP50.toFixed(0)} ms, p99 ${figures.orderP99.toFixed(0)} ms (${load.orders.length} answered)
POST /cart/items           p50 ${figures.cartP50.toFixed(0)} ms, p99 ${figures.cartP99.toFixed(0)} ms (${load.cartLatencies.length} answered)
not 201                    ${row.refusals}; autocannon errors ${load.autocannon.errors}, timeouts ${load.autocannon.timeouts}
mail after POST /orders    p50 ${figures.mailP50.toFixed(0)} ms, p99 ${figures.mailP99.toFixed(0)} ms (${outcomes.mails.length} of ${figures.placed} mails); p50 of the first fifth ${figures.mailFirstFifthP50.toFixed(0)} ms, of the last ${figures.mailLastFifthP50.toFixed(0)} ms
mails during the run       ${figures.mailsPerSecondDuringRun.toFixed(1)}/s; the last ${figures.lastMailAfterRunS.toFixed(1)} s after the run ended
mail stages (p50 / p99)    ${stages}
orders CONFIRMED           ${outcomes.confirmed} of ${[...outcomes.statuses.values()].reduce((a, b) => a + b, 0)} (${[...outcomes.statuses].map(([s, n]) => `${s} ${n}`).join(', ')}), ${outcomes.unanswered} placed by requests cut off at the end; waited ${(outcomes.waitedMs / 1000).toFixed(1)} s
log lines while recording  ${row.logs}
${row.logSamples.map((s) => `  ${s}`).join('\n')}
CPU during the run         ${cpuLine}
CPU ms per order           ${shopCpu.map((g) => `${g.name} ${msPerOrder(row, g.percent).toFixed(1)}`).join(', ')}; the shop ${msPerOrder(row, shopCpu.reduce((sum, g) => sum + g.percent, 0)).toFixed(1)}
CPU % at rest (${row.idleSeconds} s)       ${restCpu.map((g) => `${g.name} ${g.percent.toFixed(1)}`).join(', ')}; the shop ${restCpu.reduce((sum, g) => sum + g.percent, 0).toFixed(1)}; the machine ${row.idle ? (row.idle.busyPercent * os.cpus().length).toFixed(0) : 'n/a'}
per order                  HTTP requests ${row.costs.processes.map((p) => `${p.name} ${p.requests.toFixed(1)}`).join(', ')}
                           events published ${row.costs.processes.map((p) => `${p.name} ${p.published.toFixed(1)}`).join(', ')}
                           events consumed ${row.costs.processes.map((p) => `${p.name} ${p.consumed.toFixed(1)}`).join(', ')}
                           transactions ${row.costs.databases.map((d) => `${d.name} ${d.transactions.toFixed(1)}`).join(', ')}
                           rows written ${row.costs.databases.map((d) => `${d.name} ${d.rowsWritten.toFixed(1)}`).join(', ')}`);
  if (figures.placed > sinkCapacity) console.log(`note: more orders than the sink keeps (${sinkCapacity}); the oldest mails may be gone`);
}

/** The checkout section of docs/benchmarks.md for a run. */
export function checkoutSection(report: CheckoutRow): string {
  const { load, outcomes, figures, cpu } = report;
  const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));
  const stage = (name: string) => {
    const found = report.stages.find((s) => s.stage === name);
    return found ? `${ms(found.p50)} / ${ms(found.p99)} ms` : 'n/a';
  };
  const held = [...outcomes.statuses.values()].reduce((a, b) => a + b, 0);
  // Only the shop's rows get a figure per order: what other work took is no cost of an order.
  const perOrder = (group: { name: string; percent: number }) => (report.shopNames.has(group.name) ? msPerOrder(report, group.percent).toFixed(1) : '');
  const small = cpu ? cpu.groups.filter((g) => g.percent < 1) : [];
  const atRest = (name: string) => (report.shopNames.has(name) ? (report.idle?.groups.find((g) => g.name === name)?.percent ?? 0).toFixed(1) : '');
  const cpuRows = cpu
    ? [
        ...cpu.groups.filter((g) => g.percent >= 1).map((g) => `| ${g.name} | ${g.percent.toFixed(0)} | ${perOrder(g)} | ${atRest(g.name)} |`),
        `| ${small.length} other processes, each under 1% | ${small.reduce((sum, g) => sum + g.percent, 0).toFixed(0)} | | |`,
        // /proc keeps no record of a process that ended, so what such processes used shows only here.
        `| unattributed: processes that ended before the run did | ${Math.max(0, cpu.busyPercent * os.cpus().length - cpu.groups.reduce((sum, g) => sum + g.percent, 0)).toFixed(0)} | | |`,
        `| the whole machine (busy share of all cores x ${os.cpus().length}) | ${(cpu.busyPercent * os.cpus().length).toFixed(0)} | | ${report.idle ? (report.idle.busyPercent * os.cpus().length).toFixed(0) : ''} |`,
      ]
    : [];
  // The shop's own share: this run's processes, its PostgreSQL connections and RabbitMQ.
  const shopPercent = cpu ? cpu.groups.filter((g) => report.shopNames.has(g.name)).reduce((sum, g) => sum + g.percent, 0) : NaN;
  const cpuPerOrder = msPerOrder(report, shopPercent);
  // Everything busy that is not the shop: other processes, kernel threads, and processes that ended within the run.
  const othersPercent = cpu ? cpu.busyPercent * os.cpus().length - shopPercent : 0;
  const elsewhere =
    othersPercent >= 10
      ? `
Other work shared the machine during this run and took ${othersPercent.toFixed(0)}% of a core (the rows not named after the
shop and the unattributed row), so the shop's figures are lower than on a quiet machine.`
      : '';
  // The goal's budget: at 50 orders/s the machine's cores give each order this much CPU, whoever spends it.
  const goalOrdersPerSecond = 50;
  const budgetMs = (os.cpus().length * 1000) / goalOrdersPerSecond;
  const spentBy = (match: (name: string) => boolean) => msPerOrder(report, cpu ? cpu.groups.filter((g) => report.shopNames.has(g.name) && match(g.name)).reduce((sum, g) => sum + g.percent, 0) : NaN);
  const databaseMs = spentBy((name) => name.startsWith('PostgreSQL: '));
  const brokerMs = spentBy((name) => name === 'RabbitMQ');
  const budget = `

At ${goalOrdersPerSecond} orders/s, ${os.cpus().length} cores give each order ${budgetMs.toFixed(0)} ms of CPU in all. Of the ${cpuPerOrder.toFixed(0)} ms an order took here,
PostgreSQL's work for the shop's databases was ${databaseMs.toFixed(0)} ms and RabbitMQ's ${brokerMs.toFixed(0)} ms, so those two servers alone
${databaseMs + brokerMs >= budgetMs ? "spend more than the whole budget before the shop's own ten processes" : `leave ${(budgetMs - databaseMs - brokerMs).toFixed(0)} ms of it for the shop's own ten processes`}, which took ${(cpuPerOrder - databaseMs - brokerMs).toFixed(0)} ms.`;
  const bound = !cpu
    ? 'CPU use was not sampled (no /proc on this machine).'
    : cpu.busyPercent >= 90
      ? `The cores were ${cpu.busyPercent.toFixed(0)}% busy during the run, so the throughput is bounded by CPU: each placed order cost
about ${cpuPerOrder.toFixed(0)} ms of CPU in the shop's processes, the PostgreSQL connections to its databases and RabbitMQ
together (their CPU time divided by the 201s). The table shows where that time went; on two shared cores, what one
process takes the others wait for. PostgreSQL serves each connection with a process of its own, so
the rows \`PostgreSQL: <service>'s database\` are that database's share of the server; the row
\`PostgreSQL\` is the server's other processes (its background writers, and the connections to
any other database on the machine), not counted as the shop's.${budget}${elsewhere}`
      : `The cores were ${cpu.busyPercent.toFixed(0)}% busy during the run, not saturated, so something other than CPU bounds the
throughput, which this run does not identify; each placed order cost about ${cpuPerOrder.toFixed(0)} ms of CPU in the shop's
processes, the PostgreSQL connections to its databases and RabbitMQ together.${elsewhere}`;
  const notificationPercent = cpu?.groups.find((g) => g.name === 'notification')?.percent ?? NaN;
  // An upper bound: the worker's CPU also went to taking the events and queueing the mails.
  const cpuPerMail = ((notificationPercent / 100) * load.elapsedSeconds * 1000) / (figures.mailsPerSecondDuringRun * load.elapsedSeconds);
  const gap = report.stages.find((s) => s.stage === 'gap');
  const mailPace =
    figures.mailsPerSecondDuringRun < 0.9 * figures.ordersPerSecond
      ? `The mail path did not keep pace with the orders: while the run lasted, the sink received
${figures.mailsPerSecondDuringRun.toFixed(1)} mails/s against ${figures.ordersPerSecond.toFixed(1)} orders/s, so the delay grew over the run (p50 ${ms(figures.mailFirstFifthP50)} ms for the
first fifth of the orders, ${ms(figures.mailLastFifthP50)} ms for the last) and the last mail came ${figures.lastMailAfterRunS.toFixed(1)} s after the run ended:
the mail figures grow with the run's length. The delay is the wait after the worker took the
event, not the event's way there (the rows above). The notification worker sends the mails that
are due one after another, each over its own SMTP connection, with a claim before and a
transaction after it (services/notification/src/app/dispatch-mails.use-case.ts); it sent one every
${gap ? ms(gap.p50) : 'n/a'} ms (p50) and used ${notificationPercent.toFixed(0)}% of a core, at most ${ms(cpuPerMail)} ms of CPU per mail sent${
          gap && cpuPerMail < gap.p50 / 2
            ? `, so for most of each
mail's turn the worker was not running: it waited on its round trips (PostgreSQL, SMTP) or for a core.`
            : '.'
        }`
      : `The mail path kept pace with the orders: ${figures.mailsPerSecondDuringRun.toFixed(1)} mails/s reached the sink while the run lasted, against ${figures.ordersPerSecond.toFixed(1)} orders/s.`;
  const section = `${sectionHeading}

Measured by \`pnpm bench:checkout\` (scripts/bench-checkout.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} CPU cores
(${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Everything shares those cores:
autocannon, the gateway, the customer, catalog, inventory, cart, payment and order services, the
notification worker, the sandbox payment provider, the mail sink, PostgreSQL and RabbitMQ, each
service one process running its compiled JavaScript (\`pnpm run build\`, then \`node dist/main.js\`, as
in production; scripts/bench-shop.ts starts them).

${report.buyerCount} buyers (registered, verified through the mailed link, an address saved) and ${productCount} products with
1,000,000 units each. autocannon keeps ${report.buyerCount} connections to the gateway, one buyer each; each
connection repeats \`POST /cart/items\` (one unit of the next product) then \`POST /orders\` (the saved
address, the sandbox's card 4242…, a fresh Idempotency-Key) for ${report.seconds} s, after an unrecorded ${report.warmUpSeconds} s
warm-up whose orders were confirmed and mailed before the recorded run began. Each answer of
\`POST /orders\` is timed from when autocannon writes the request to when it has read the answer:
autocannon's own histogram mixes both requests of the sequence, and \`POST /orders\` cannot run alone
in a loop, since each placed order empties the cart. The mail delay runs from that same send
time to the sink's receipt of the confirmation mail (the subject names the order number), and
its stages come from the notification worker's record of each mail (when it took the event,
when it sent the mail), read from its database afterwards; every clock is this machine's.
The orders' statuses come from \`GET /orders\` of each buyer afterwards. Orders/s is the 201s
divided by the run's length; latencies count every answer.

| measure | value |
| --- | ---: |
| orders placed (201) | ${figures.placed} in ${load.elapsedSeconds.toFixed(1)} s |
| orders/s | ${figures.ordersPerSecond.toFixed(1)} |
| \`POST /orders\` p50 / p99 | ${ms(figures.orderP50)} / ${ms(figures.orderP99)} ms |
| \`POST /cart/items\` p50 / p99 | ${ms(figures.cartP50)} / ${ms(figures.cartP99)} ms |
| answers other than 201 | ${report.refusals} |
| connection errors / timeouts | ${load.autocannon.errors} / ${load.autocannon.timeouts} |
| confirmation mail after \`POST /orders\`, p50 / p99 | ${ms(figures.mailP50)} / ${ms(figures.mailP99)} ms |
| the same, orders of the first / last fifth of the run, p50 | ${ms(figures.mailFirstFifthP50)} / ${ms(figures.mailLastFifthP50)} ms |
| of it: until the notification worker took \`order.placed\`, p50 / p99 | ${stage('taken')} |
| of it: from then until the mail was sent, p50 / p99 | ${stage('sent')} |
| time from one confirmation mail sent to the next (the worker's pace), p50 / p99 | ${stage('gap')} |
| confirmation mails at the sink | ${outcomes.mails.length} of ${figures.placed} |
| mails delivered per second while the run lasted | ${figures.mailsPerSecondDuringRun.toFixed(1)} |
| last mail after the end of the run | ${figures.lastMailAfterRunS.toFixed(1)} s |
| orders CONFIRMED (payment webhook) | ${outcomes.confirmed} of ${held}${outcomes.unanswered ? `, ${outcomes.unanswered} of them placed by requests autocannon cut off at the end` : ''} |
| waited after the run for mails and confirmations | ${(outcomes.waitedMs / 1000).toFixed(1)} s |
| log lines at warn or above during the run | ${report.logs} |

CPU during the recorded run (from /proc; 100% is one core, ${os.cpus().length * 100}% the whole machine), and of the
shop's processes at rest for ${report.idleSeconds} s just before it (after the warm-up's orders were done): what they
spend whether or not there are orders (timers, polls, probes).${restNote(report)}

| process | CPU % | CPU ms per order | CPU % at rest |
| --- | ---: | ---: | ---: |
${cpuRows.join('\n')}

${bound}

What each placed order took, counted during the recorded run and divided by the 201s: HTTP requests
each process answered, events its outbox relay published and its consumers took (each process's
\`/metrics\`), transactions and rows written in its database (\`pg_stat_database\`, which backends
update about once a second):

| process | HTTP requests answered | events published | events consumed | database transactions | rows written |
| --- | ---: | ---: | ---: | ---: | ---: |
${costRows(report).join('\n')}

${mailPace}
`;
  return section;
}

/** What the shop spent at rest, as a share of the CPU per order above. */
function restNote(report: CheckoutRow): string {
  if (!report.idle || !report.cpu) return '';
  const rest = report.idle.groups.filter((g) => report.shopNames.has(g.name)).reduce((sum, g) => sum + g.percent, 0);
  return `\nAt rest the shop used ${rest.toFixed(0)}% of a core: at ${report.figures.ordersPerSecond.toFixed(1)} orders/s, ${msPerOrder(report, rest).toFixed(0)} ms of each order's CPU below.`;
}

/** One row per process, in the order they start. */
function costRows(report: CheckoutRow): string[] {
  return shopProcessNames.flatMap((name) => {
    const p = report.costs.processes.find((c) => c.name === name);
    const d = report.costs.databases.find((c) => c.name === name);
    if (!p && !d) return [];
    const cell = (value: number | undefined) => (value === undefined ? '' : value.toFixed(1));
    return [`| ${name} | ${cell(p?.requests)} | ${cell(p?.published)} | ${cell(p?.consumed)} | ${cell(d?.transactions)} | ${cell(d?.rowsWritten)} |`];
  });
}


async function main(): Promise<void> {
  const profiles = process.env.BENCH_PROFILE && path.resolve(process.env.BENCH_PROFILE);
  buildShop();
  const shop = await startShop({ ...(profiles && { cpuProfileDir: profiles }) });
  const row = await checkoutRow(shop, { seconds: Number(process.env.BENCH_SECONDS ?? 20), buyers: Number(process.env.BENCH_BUYERS ?? 10) });
  printRow(row);
  // The profiles cover each process's whole life; this says which part of them is the recorded run.
  if (profiles) await mkdir(profiles, { recursive: true });
  if (profiles) await writeFile(path.join(profiles, 'recorded-run.json'), JSON.stringify({ ...row.window, orders: row.figures.placed }));
  await writeBenchmarkSection(sectionHeading, checkoutSection(row));
}

// Run as a script; imported (by a script running every row), it only lends its row.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) runBenchmark(main);
