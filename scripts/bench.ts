/**
 * Benchmark (a script, not a test): starts the customer service and the gateway as their own
 * processes on a scratch database and vhost, loads them with autocannon, and writes the figures
 * to docs/benchmarks.md. `pnpm bench` (BENCH_SECONDS, BENCH_CONNECTIONS to change the load).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { deleteTestVhost, dropTestDatabases, testAmqpUrl, testDatabaseUrl } from '@shop/testkit';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const admin = { email: 'bench-admin@shop.local', password: 'Bench12345' };
const children: ChildProcess[] = [];

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: boolean;
}

interface Result {
  scenario: string;
  target: 'direct' | 'gateway';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startProcess(entry: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function run(base: string, scenario: Scenario, token: string): Promise<autocannon.Result> {
  return autocannon({
    url: `${base}${scenario.path}`,
    method: scenario.method,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${token}` } : {}) },
    body: scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
  });
}

async function main(): Promise<void> {
  const amqp = await testAmqpUrl();
  const [customerPort, gatewayPort] = [await freePort(), await freePort()];
  const customerUrl = `http://127.0.0.1:${customerPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  startProcess('services/customer/src/main.ts', {
    PORT: String(customerPort),
    DATABASE_URL: testDatabaseUrl('bench_customer'),
    AMQP_URL: amqp,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
  });
  await waitReady(customerUrl);
  startProcess('gateway/src/main.ts', {
    PORT: String(gatewayPort),
    AMQP_URL: amqp,
    CUSTOMER_SERVICE_URL: customerUrl,
    RATE_LIMIT_MAX: '100000000',
    AUTH_RATE_LIMIT_MAX: '100000000',
  });
  await waitReady(gatewayUrl);

  const login = await fetch(`${customerUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const { accessToken } = (await login.json()) as { accessToken: string };

  const scenarios: Scenario[] = [
    { name: 'POST /auth/login', method: 'POST', path: '/auth/login', body: admin },
    { name: 'GET /customers/me', method: 'GET', path: '/customers/me', token: true },
  ];
  const results: Result[] = [];
  for (const scenario of scenarios) {
    for (const [target, base] of [['direct', customerUrl], ['gateway', `${gatewayUrl}/api/v1`]] as const) {
      process.stdout.write(`${scenario.name} (${target}) ... `);
      const r = await run(base, scenario, accessToken);
      const result = { scenario: scenario.name, target, requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
      process.stdout.write(`${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}\n`);
      results.push(result);
    }
  }
  await writeReport(results);
}

async function writeReport(results: Result[]): Promise<void> {
  const rows = results.map((r) => `| ${r.scenario} | ${r.target} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
  const overhead = [...new Set(results.map((r) => r.scenario))].map((scenario) => {
    const direct = results.find((r) => r.scenario === scenario && r.target === 'direct');
    const gateway = results.find((r) => r.scenario === scenario && r.target === 'gateway');
    if (!direct || !gateway) return '';
    const ratio = gateway.requestsPerSecond / direct.requestsPerSecond;
    return `| ${scenario} | ${ratio.toFixed(2)} | ${((1 - ratio) * 100).toFixed(1)}% |`;
  });
  const text = `# Benchmarks

Measured by \`pnpm bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} CPU cores,
${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. autocannon with ${connections} connections for ${seconds} s per row,
on the same machine as the services (PostgreSQL and RabbitMQ local too), so the load generator competes with
them for the cores: compare rows with each other rather than with other machines.

The customer service and the gateway run as their own processes (one each). Login is dominated by
argon2id (19 MiB, 2 passes) by design; \`GET /customers/me\` verifies the RS256 token and reads the
customer and session in one query.

| route | target | requests/s | p50 ms | p99 ms | non-2xx |
| --- | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Gateway throughput as a share of direct throughput (the gateway verifies the token too, applies
rate limits and the circuit breaker, and proxies over a keep-alive connection):

| route | gateway / direct | gateway overhead |
| --- | ---: | ---: |
${overhead.join('\n')}
`;
  await writeFile(path.join(root, 'docs/benchmarks.md'), text);
  process.stdout.write('\nwritten to docs/benchmarks.md\n');
}

async function stop(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.once('exit', resolve)) : undefined)));
  await dropTestDatabases();
  await deleteTestVhost();
}

main()
  .then(stop, async (err) => {
    console.error(err);
    await stop();
    process.exitCode = 1;
  });
