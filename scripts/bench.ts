/**
 * `npm run bench`: every performance row of the shop in one run, written to docs/benchmarks.md.
 *
 * 1. References: a bare `node:http` server answering a canned body, a bare keep-alive `node:http`
 *    proxy in front of it, and the gateway (compiled, every check on) in front of the same server.
 * 2. The whole shop, compiled, on scratch databases and a scratch vhost, with 10,000 products:
 *    browsing through the gateway (category page, text query, sort, product details), each beside
 *    the bare server answering a body of the same size; `GET /cart`; checkout with 10 buyers.
 * 3. `npm start` itself, as a newcomer runs it on a warm install: how long until the gateway
 *    answers, and what every process of the idle shop holds in memory.
 *
 * Each load row is autocannon with 20 connections (BENCH_CONNECTIONS) for 10 s (BENCH_SECONDS)
 * after a 3 s warm-up. Rows whose ratio is a goal are measured in turn, 2 rounds (BENCH_ROUNDS),
 * and each keeps its best: on a shared machine other work only ever takes from a row, and the
 * alternation gives each side of a ratio the same chances. BENCH_PROFILE=<dir> writes a V8 CPU profile of each process there
 * (BENCH_PROFILE_ONLY=gateway,catalog: of those alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { findListedProduct, browseProducts } from '../services/catalog/src/db/product.repository';
import { subtreeIds } from '../services/catalog/src/db/category.repository';
import type { CatalogDatabase } from '../services/catalog/src/db/schema';
import { cpuSnapshot, cpuUse, root, runBenchmark, startedProcesses, stopProcess, writeBenchmarkSection } from './bench-kit';
import { startReferences } from './bench-hop';
import { buildShop, startShop, type ShopProcessName } from './bench-shop';
import { checkoutRow, checkoutSection } from './bench-checkout';
import { seedShop } from './bench-seed';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const productCount = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const warmUpSeconds = 3;
// Rows compared with each other are measured in turn this many times, each keeping its best round.
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const goalsHeading = '## Performance goals';

/** One measured load. */
interface LoadRow {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Bytes of the answer's body. */
  bytes?: number;
  /** Who used the CPU during the row, in per cent of one core (the busiest first). */
  cpu?: string;
}

interface LoadSpec {
  base: string;
  /** Paths under `base`, one request each in turn. */
  paths: string[];
  headers?: Record<string, string>;
}

/** autocannon on `spec` for `duration` seconds, cycling through its paths. */
async function load(spec: LoadSpec, duration: number): Promise<autocannon.Result> {
  const prefix = new URL(spec.base).pathname.replace(/\/$/, '');
  let next = 0;
  return autocannon({
    url: spec.base,
    connections,
    duration,
    headers: spec.headers,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % spec.paths.length;
          return { ...request, path: `${prefix}${spec.paths[next]}` };
        },
      },
    ],
  });
}

/** The processes this run started, by PID, and the script itself (autocannon runs in it). */
function processNames(): Map<number, string> {
  const names = new Map<number, string>(startedProcesses().map((p) => [p.child.pid!, p.name]));
  names.set(process.pid, 'autocannon');
  return names;
}

/** Each measurement `rounds` times, in turn, keeping each one's round with the most requests/s. */
async function inTurns<T extends Array<() => Promise<LoadRow>>>(measurements: [...T]): Promise<{ [K in keyof T]: LoadRow }> {
  const best: LoadRow[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, measurement] of measurements.entries()) {
      const row = await measurement();
      if (!best[i] || row.requestsPerSecond > best[i].requestsPerSecond) best[i] = row;
    }
  }
  return best as { [K in keyof T]: LoadRow };
}

/** A warm-up, then the recorded run. */
async function measure(name: string, spec: LoadSpec, bytes?: number): Promise<LoadRow> {
  await load(spec, warmUpSeconds);
  process.stdout.write(`${name} ... `);
  const before = await cpuSnapshot();
  const r = await load(spec, seconds);
  const after = await cpuSnapshot();
  const cpu = before && after ? cpuUse(before, after, processNames()).groups.filter((g) => g.percent >= 3).map((g) => `${g.name} ${g.percent.toFixed(0)}`).join(', ') : undefined;
  const row = { name, requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors + r.timeouts, ...(bytes !== undefined && { bytes }), ...(cpu && { cpu }) };
  process.stdout.write(`${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx/errors ${row.non2xx}; CPU % ${cpu}\n`);
  return row;
}

/** EXPLAIN (ANALYZE) of every statement a piece of repository code runs, with its real parameters. */
async function plansOf(url: string, work: (db: Kysely<CatalogDatabase>) => Promise<unknown>): Promise<string[]> {
  const captured: CompiledQuery[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const db = new Kysely<CatalogDatabase>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && !event.query.sql.startsWith('EXPLAIN')) captured.push(event.query);
    },
  });
  try {
    await work(db);
    const plans: string[] = [];
    for (const query of captured.splice(0)) {
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${query.sql}`, [...query.parameters]));
      plans.push(`${query.sql}\n\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    return plans;
  } finally {
    await db.destroy();
  }
}


/** The length of a route's body, as the gateway answers it. */
async function bodyBytes(url: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

/** Resident memory of a process in MiB (VmRSS), or undefined once it is gone. */
async function rssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

/** The descendants of a process, from /proc (Linux), with their command lines. */
async function descendants(pid: number): Promise<Array<{ pid: number; command: string }>> {
  const parents = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    commands.set(Number(entry), (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim());
  }
  const found: Array<{ pid: number; command: string }> = [];
  const visit = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push({ pid: child, command: commands.get(child) ?? '' });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What `npm start` took and held. */
interface StartRow {
  /** From running `npm start` to the gateway's first 200 on `GET /api/v1/products`. */
  gatewayAnswersSeconds: number;
  /** Until the launcher said every process was ready. */
  allReadySeconds: number;
  /** Each process of the shop idle 10 s after start, by name. */
  rss: Array<{ name: string; mib: number }>;
  /** The processes that start the shop rather than being it (npm, the bootstrap, the launcher). */
  starters: Array<{ name: string; mib: number }>;
}

/** The ports `npm start` listens on; the measurement is skipped when one of them is taken. */
const startPorts = [8080, 9080, 1025, 8025, 4010, 9010, ...[1, 2, 3, 4, 5, 6, 7].flatMap((n) => [3000 + n, 9000 + n])];

/**
 * Runs `npm start` as a newcomer would on a warm install (dependencies installed, built once,
 * databases created by an earlier start): time to the gateway's first answer, then RSS per process
 * once the shop has idled for 10 s. Stops it with SIGTERM, as Ctrl-C would.
 */
async function measureNpmStart(): Promise<StartRow> {
  const started = Date.now();
  // A process group of its own, so stopping it reaches npm's children too.
  const npm = spawn('npm', ['start'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    let gatewayAnswersSeconds = NaN;
    for (;;) {
      if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.slice(-2000)}`);
      const ok = await fetch('http://127.0.0.1:8080/api/v1/products?pageSize=1').then((r) => r.ok, () => false);
      if (ok) {
        gatewayAnswersSeconds = (Date.now() - started) / 1000;
        break;
      }
      if (Date.now() - started > 180_000) throw new Error('the gateway did not answer within 180 s of npm start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    while (!output.includes('The shop is running')) {
      if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.slice(-2000)}`);
      if (Date.now() - started > 180_000) throw new Error('npm start did not report the shop running within 180 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const allReadySeconds = Number(/every process ready ([\d.]+) s/.exec(output)?.[1] ?? NaN);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rss: StartRow['rss'] = [];
    const starters: StartRow['starters'] = [];
    starters.push({ name: 'npm', mib: (await rssMiB(npm.pid!)) ?? 0 });
    for (const { pid, command } of await descendants(npm.pid!)) {
      const mib = await rssMiB(pid);
      if (mib === undefined) continue;
      // services/<name>/dist/main.js and the like, and gateway/dist/main.js (a folder of its own, not under one of theirs).
      const shopProcess = /\/(?:services|infra|packages)\/([\w-]+)\/dist\/main\.js|\/(gateway)\/dist\/main\.js/.exec(command);
      if (shopProcess) rss.push({ name: (shopProcess[1] ?? shopProcess[2])!, mib });
      else starters.push({ name: /launcher/.test(command) ? 'launcher (tsx)' : /bootstrap/.test(command) ? 'bootstrap' : /esbuild/.test(command) ? 'esbuild (tsx)' : command.split(' ')[0]!, mib });
    }
    return { gatewayAnswersSeconds, allReadySeconds, rss, starters };
  } finally {
    // As Ctrl-C in a terminal would: SIGTERM to the whole group, each process stops its own way.
    signalGroup(npm.pid!, 'SIGTERM');
    const force = setTimeout(() => signalGroup(npm.pid!, 'SIGKILL'), 20_000);
    await exited;
    while ((await descendantsGone(npm.pid!)) === false) await new Promise((resolve) => setTimeout(resolve, 200));
    clearTimeout(force);
  }
}

/** Signals a process group; one whose processes have all ended already (ESRCH) has nothing left to stop. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Whether no process of the group `pgid` is left (Linux: field 5 of /proc/<pid>/stat). */
async function descendantsGone(pgid: number): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) return false;
  }
  return true;
}

/** A ratio against its goal, as a table cell. */
const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const ratio = (a: LoadRow, b: LoadRow) => a.requestsPerSecond / b.requestsPerSecond;
const loadCells = (r: LoadRow) => `${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.cpu ?? ''}`;

async function main(): Promise<void> {
  const profileDir = process.env.BENCH_PROFILE;
  const at = new Date();
  const loadAverage = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  buildShop();

  // 1. The references and the gateway's hop.
  const refs = await startReferences();
  const canned = (bytes: number): LoadSpec => ({ base: refs.server.url, paths: [`/api/v1/products?bytes=${bytes}`] });
  const hopBytes = 4_700;
  const [bareServer, bareProxy, gatewayHop] = await inTurns([
    () => measure(`bare server, ${hopBytes} B`, canned(hopBytes), hopBytes),
    () => measure('bare proxy -> bare server', { base: refs.proxy.url, paths: [`/api/v1/products?bytes=${hopBytes}`] }, hopBytes),
    () => measure('gateway -> bare server', { base: refs.gateway.url, paths: [`/api/v1/products?bytes=${hopBytes}`], headers: { authorization: `Bearer ${refs.token}` } }, hopBytes),
  ]);

  // 2. The whole shop.
  const profiled = process.env.BENCH_PROFILE_ONLY?.split(',') as ShopProcessName[] | undefined;
  const shop = await startShop({ echo: false, ...(profileDir && { cpuProfileDir: profileDir }), ...(profiled && { profiled }) });
  const { midCategory, productIds, accessToken } = await seedShop(shop, productCount);
  const api = shop.apiUrl;
  const browsing: Array<{ name: string; paths: string[] }> = [
    { name: 'GET /products?categoryId=…&pageSize=20 (category page)', paths: [`/products?categoryId=${midCategory}&pageSize=20`] },
    { name: 'GET /products?q=ceramic&pageSize=20 (text query)', paths: ['/products?q=ceramic&pageSize=20'] },
    { name: 'GET /products?sort=price&pageSize=20 (sorted)', paths: ['/products?sort=price&pageSize=20'] },
    { name: 'GET /products/:id (500 ids in turn)', paths: productIds.map((id) => `/products/${id}`) },
  ];
  const browseRows: Array<{ row: LoadRow; reference: LoadRow }> = [];
  for (const { name, paths } of browsing) {
    // A body the size of the route's own (the product pages differ a little: their mean).
    const sizes = await Promise.all(paths.slice(0, 20).map((p) => bodyBytes(`${api}${p}`)));
    const bytes = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
    const [row, reference] = await inTurns([() => measure(name, { base: api, paths }, bytes), () => measure(`bare server, ${bytes} B`, canned(bytes), bytes)]);
    browseRows.push({ row, reference });
  }
  const auth = { authorization: `Bearer ${accessToken}` };
  const cartBytes = await bodyBytes(`${api}/cart`, auth);
  const [cart] = await inTurns([() => measure('GET /cart (10 lines)', { base: api, paths: ['/cart'], headers: auth }, cartBytes)]);
  const productDetails = browseRows[3]!.row;

  process.stdout.write('checkout, 10 buyers ... ');
  // A failed checkout row is a finding of the run, not the end of it: the rows after it still count.
  const checkout = await checkoutRow(shop, { seconds: Number(process.env.BENCH_CHECKOUT_SECONDS ?? 20), buyers: 10 }).catch((err: unknown) => `failed: ${String(err).split('\n')[0]}`);
  process.stdout.write(typeof checkout === 'string' ? `${checkout}\n` : `${checkout.figures.ordersPerSecond.toFixed(1)} orders/s, POST /orders p99 ${checkout.figures.orderP99.toFixed(0)} ms\n`);

  const plans = {
    'category page (a level-2 category and its sub-categories), newest first': await plansOf(shop.processes.catalog.databaseUrl!, async (db) =>
      browseProducts(db, { sort: '-createdAt', page: 1, pageSize: 20, categoryIds: await subtreeIds(db, midCategory) }),
    ),
    'text query "ceramic", newest first': await plansOf(shop.processes.catalog.databaseUrl!, (db) => browseProducts(db, { sort: '-createdAt', page: 1, pageSize: 20, q: 'ceramic' })),
    'sorted by price': await plansOf(shop.processes.catalog.databaseUrl!, (db) => browseProducts(db, { sort: 'price', page: 1, pageSize: 20 })),
    'product details': await plansOf(shop.processes.catalog.databaseUrl!, (db) => findListedProduct(db, productIds[0] as string)),
  };

  // 3. `npm start`, on a quiet machine: everything this script started is stopped first.
  for (const { child } of [...startedProcesses()].reverse()) await stopProcess(child as ChildProcess);
  let start: StartRow | string;
  const taken = [];
  for (const port of startPorts) if (await portAnswers(port)) taken.push(port);
  if (taken.length) start = `not measured: ports ${taken.join(', ')} of \`npm start\` are in use`;
  else {
    process.stdout.write('npm start (an unrecorded first start creates its databases) ... ');
    // A failed start is a finding of the run, written as such, not the end of the report.
    start = await measureNpmStart()
      .then(() => measureNpmStart())
      .catch((err: unknown) => {
        // The report keeps the first line; the console gets the start's last lines, to tell why.
        process.stdout.write(`${String(err)}\n`);
        return `failed: ${String(err).split('\n')[0]}`;
      });
    process.stdout.write(typeof start === 'string' ? `${start}\n` : `gateway answered after ${start.gatewayAnswersSeconds.toFixed(1)} s; idle shop ${start.rss.reduce((a, r) => a + r.mib, 0).toFixed(0)} MiB\n`);
  }

  await writeReport({ at, loadAverage, bareServer, bareProxy, gatewayHop, browseRows, cart, productDetails, checkout, start, plans });
  if (typeof checkout !== 'string') await writeBenchmarkSection('## Checkout through the gateway', checkoutSection(checkout));
}

interface Report {
  at: Date;
  loadAverage: string;
  bareServer: LoadRow;
  bareProxy: LoadRow;
  gatewayHop: LoadRow;
  browseRows: Array<{ row: LoadRow; reference: LoadRow }>;
  cart: LoadRow;
  productDetails: LoadRow;
  checkout: Awaited<ReturnType<typeof checkoutRow>> | string;
  start: StartRow | string;
  plans: Record<string, string[]>;
}

async function writeReport(r: Report): Promise<void> {
  const hop = ratio(r.gatewayHop, r.bareProxy);
  const shopRss = typeof r.start === 'string' ? NaN : r.start.rss.reduce((a, p) => a + p.mib, 0);
  const goals = [
    `| gateway hop: gateway / bare proxy, requests/s | >= 0.60 | ${hop.toFixed(2)} | ${verdict(hop >= 0.6)} |`,
    ...r.browseRows.map(({ row, reference }) => {
      const share = ratio(row, reference);
      return `| ${row.name}: share of the bare server (${row.bytes} B), p99 | >= 0.25, < 20 ms | ${share.toFixed(2)}, ${row.p99} ms | ${verdict(share >= 0.25 && row.p99 < 20 && row.non2xx === 0)} |`;
    }),
    `| GET /cart / GET /products/:id, requests/s | >= 1.00 | ${ratio(r.cart, r.productDetails).toFixed(2)} | ${verdict(ratio(r.cart, r.productDetails) >= 1)} |`,
    typeof r.checkout === 'string'
      ? `| checkout, 10 buyers: orders/s, POST /orders p99 | >= 50, < 300 ms | ${r.checkout} | **not met** |`
      : `| checkout, 10 buyers: orders/s, POST /orders p99 | >= 50, < 300 ms | ${r.checkout.figures.ordersPerSecond.toFixed(1)}, ${r.checkout.figures.orderP99.toFixed(0)} ms | ${verdict(r.checkout.figures.ordersPerSecond >= 50 && r.checkout.figures.orderP99 < 300)} |`,
    typeof r.start === 'string'
      ? `| footprint and start-up | < 1 GiB, < 15 s | ${r.start} | not measured |`
      : `| idle shop (${r.start.rss.length} processes), resident memory | < 1 GiB | ${shopRss.toFixed(0)} MiB | ${verdict(shopRss < 1024)} |\n| \`npm start\` to the gateway's first answer (warm install) | < 15 s | ${r.start.gatewayAnswersSeconds.toFixed(1)} s | ${verdict(r.start.gatewayAnswersSeconds < 15)} |`,
  ];
  const loads = [
    `| bare server (canned ${r.bareServer.bytes} B) | ${loadCells(r.bareServer)} |`,
    `| bare keep-alive proxy -> bare server | ${loadCells(r.bareProxy)} |`,
    `| gateway -> bare server (token check, rate limit, correlation id, breaker, metrics) | ${loadCells(r.gatewayHop)} |`,
    ...r.browseRows.flatMap(({ row, reference }) => [`| ${row.name}, ${row.bytes} B, through the gateway | ${loadCells(row)} |`, `| bare server, ${reference.bytes} B | ${loadCells(reference)} |`]),
    `| GET /cart (10 lines), ${r.cart.bytes} B, through the gateway | ${loadCells(r.cart)} |`,
  ];
  const memory =
    typeof r.start === 'string'
      ? r.start
      : `| process | RSS MiB |
| --- | ---: |
${[...r.start.rss].sort((a, b) => b.mib - a.mib).map((p) => `| ${p.name} | ${p.mib.toFixed(0)} |`).join('\n')}
| **the shop, ${r.start.rss.length} processes** | **${shopRss.toFixed(0)}** |
${r.start.starters.map((p) => `| (starting it: ${p.name}) | ${p.mib.toFixed(0)} |`).join('\n')}

\`npm start\` (dependency check, incremental build, every process started at once): the gateway
answered \`GET /api/v1/products\` ${r.start.gatewayAnswersSeconds.toFixed(1)} s after the command, and every process was ready ${r.start.allReadySeconds.toFixed(1)} s after the launch.`;
  const planText = Object.entries(r.plans)
    .map(([label, statements]) => `### ${label}\n\n${statements.map((p) => '```\n' + p + '\n```').join('\n\n')}`)
    .join('\n\n');
  const section = `${goalsHeading}

Measured by \`npm run bench\` (scripts/bench.ts) on ${r.at.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${os.cpus().length} CPU cores
(${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${r.loadAverage} when it began.
Every process shares those cores: autocannon (${connections} connections, ${warmUpSeconds} s warm-up, then ${seconds} s per row), the references,
the shop's processes (compiled JavaScript), PostgreSQL and RabbitMQ. Compare rows of one run with each other.
The rows of each ratio (the bare server, the bare proxy and the gateway; each browsing row and its bare
server; \`GET /cart\`) were measured ${rounds} times in turn, and each shows its round with the most requests/s:
other work on a shared machine only ever takes from a row, and taking turns gives both sides the same chances.

| goal | target | this run | |
| --- | --- | --- | --- |
${goals.join('\n')}

| load | requests/s | p50 ms | p99 ms | non-2xx or errors | CPU % of one core (3% and more) |
| --- | ---: | ---: | ---: | ---: | --- |
${loads.join('\n')}

The references run as processes of their own: scripts/bench/canned-upstream.mjs answers every request
with a canned JSON body of the asked size, scripts/bench/bare-proxy.mjs forwards over keep-alive
connections and does nothing else. The gateway in front of the canned server checks a customer's
RS256 token (verified once, then remembered), counts the rate limit, makes a correlation id,
goes through the upstream's breaker and records its metrics, as for any request. The shop's catalog
holds ${productCount.toLocaleString('en-US')} active products (one to three variants each) in a 3 x 4 x 4 category tree.
Checkout: 10 buyers, each one connection repeating \`POST /cart/items\` and \`POST /orders\` (its own section below).

### Memory of the idle shop and its start

${memory}

### Query plans of the shopper queries

\`EXPLAIN (ANALYZE)\` of every statement the catalog runs for the browsing rows when its memory
does not hold the answer, with the real parameters, on the ${productCount.toLocaleString('en-US')}-product catalog.

${planText}
`;
  await writeBenchmarkSection(goalsHeading, section);
}

runBenchmark(main);
