/**
 * `pnpm bench:hop-layers`: where the gateway's hop spends its time. The bare proxy, then the same
 * forwarding with one more of the gateway's layers at a time (gateway/bench/hop-layers.mjs), and
 * the whole compiled gateway, each in front of the same canned server; for each, requests/s and
 * the CPU time the proxy process spent per request (from /proc). Rows alternate over rounds and
 * the lowest CPU per request of each is kept: on a shared machine, other work only ever adds.
 * Writes its section of docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { startReferences, type Listening } from './bench-hop';
import { cpuSnapshot, root, runBenchmark, track, writeBenchmarkSection } from './bench-kit';
import { buildShop } from './bench-shop';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const layers = ["+ the platform's server (drain tracking)", "+ Express's request and response classes", "the gateway's forwarder on the platform's server", '+ its breaker, and the security headers the canned answer lacks', "the gateway's forwarder as one Express middleware"];

async function startLayer(layer: string, upstreamUrl: string): Promise<Listening> {
  const child = spawn(process.execPath, [path.join(root, 'gateway/bench/hop-layers.mjs')], { cwd: path.join(root, 'gateway'), env: { ...process.env, LAYER: layer, UPSTREAM_URL: upstreamUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  track(layer, child);
  const port = await new Promise<number>((resolve, reject) =>
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`${layer}: ${line}`));
    }),
  );
  return { url: `http://127.0.0.1:${port}`, pid: child.pid! };
}

interface Row {
  name: string;
  proxy: Listening;
  headers?: Record<string, string>;
  requestsPerSecond: number[];
  cpuMicros: number[];
}

async function measure(row: Row, duration: number): Promise<void> {
  const url = `${row.proxy.url}/api/v1/products?bytes=4700`;
  const before = await cpuSnapshot();
  const result = await autocannon({ url, connections: 20, duration, headers: row.headers });
  const after = await cpuSnapshot();
  if (result.non2xx + result.errors > 0) throw new Error(`${row.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const ticks = (pid: number) => after!.processes.get(pid)!.ticks - before!.processes.get(pid)!.ticks;
  row.requestsPerSecond.push(result.requests.average);
  row.cpuMicros.push((ticks(row.proxy.pid) * 10_000) / result.requests.total);
}

runBenchmark(async () => {
  buildShop();
  const refs = await startReferences();
  const rows: Row[] = [{ name: 'bare proxy (scripts/bench/bare-proxy.mjs)', proxy: refs.proxy, requestsPerSecond: [], cpuMicros: [] }];
  for (const layer of layers) rows.push({ name: layer, proxy: await startLayer(layer, refs.server.url), requestsPerSecond: [], cpuMicros: [] });
  rows.push({ name: 'the gateway (front door: token check, rate limit, correlation id, breaker, metrics)', proxy: refs.gateway, headers: { authorization: `Bearer ${refs.token}` }, requestsPerSecond: [], cpuMicros: [] });
  for (const row of rows) await measure(row, 2);
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      await measure(row, seconds);
      process.stdout.write(`${row.name}: ${row.requestsPerSecond.at(-1)!.toFixed(0)} req/s, ${row.cpuMicros.at(-1)!.toFixed(0)} µs of CPU per request\n`);
    }
  }
  const best = (values: number[]) => Math.min(...values);
  const bare = best(rows[0]!.cpuMicros);
  const table = rows.map((r) => `| ${r.name} | ${Math.max(...r.requestsPerSecond).toFixed(0)} | ${best(r.cpuMicros).toFixed(0)} | ${(best(r.cpuMicros) / bare).toFixed(2)} |`).join('\n');
  await writeBenchmarkSection(
    "## The gateway's hop, layer by layer",
    `## The gateway's hop, layer by layer

Measured by \`pnpm bench:hop-layers\` (scripts/bench-hop-layers.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${os.cpus().length} CPU cores, Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} when it began.
Each row is one process in front of the same canned server (4,700 B answers), loaded by autocannon with 20 connections for ${seconds} s, ${rounds} rounds with the rows in turn;
the table keeps each row's best round: the most requests/s, and the least CPU the proxy process spent per request (from /proc), as other work on the machine only ever adds to it.

| proxy | requests/s (best round) | CPU µs per request | × bare proxy |
| --- | ---: | ---: | ---: |
${table}

The rows between the bare proxy and the gateway are gateway/bench/hop-layers.mjs: the bare forwarding on the platform's server (its drain tracking), then with
Express's request and response classes, the gateway's forwarder (hop-by-hop headers dropped, X-Forwarded-*, the service's Host, the upstream timeout), behind its
opossum breaker (with the security headers the canned answers lack), and the same forwarder as one Express middleware. What they showed decided the gateway's design: Express's classes and its router cost more per request
than the forwarding itself, so routed requests are handled by the front door (gateway/src/front-door.ts) on Node's own classes, and Express serves only the API documents
and unknown paths.
`,
  );
});
