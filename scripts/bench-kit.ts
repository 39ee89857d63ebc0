/**
 * What the benchmark scripts share: the processes they start, stopped by PID when the run ends,
 * fails or is interrupted, then the run's scratch databases and vhost dropped; CPU use read from
 * /proc; percentiles; and rewriting a benchmark's own section of docs/benchmarks.md.
 */
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deleteTestVhost, dropTestDatabases, runId } from '@shop/testkit';

/** The repository's root directory. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A process a benchmark started, by the name its report gives it. */
export interface Started {
  name: string;
  child: ChildProcess;
}

const started: Started[] = [];
// Processes the script stops itself before the end (one per row, say): their exit is no failure.
const leaving = new Set<ChildProcess>();
let stopping: Promise<void> | undefined;
let beforeStop: () => Promise<void> = async () => undefined;

/** Every process started so far, in the order they were started. */
export const startedProcesses = (): readonly Started[] => started;

/** True once the run is ending: what fails from then on is the clean-up, not news. */
export const isStopping = (): boolean => stopping !== undefined;

/**
 * Keeps a started process to be stopped at the end. If it ends on its own before that, the
 * benchmark stops: `lastWords` gives what it logged last, for the report of why.
 */
export function track(name: string, child: ChildProcess, lastWords: () => string[] = () => []): void {
  started.push({ name, child });
  child.once('exit', (code, signal) => {
    if (stopping || leaving.has(child)) return;
    console.error(`${name} exited (${signal ?? code}) during the benchmark; stopping`);
    for (const line of lastWords()) console.error(`  ${line}`);
    void stop().finally(() => process.exit(1));
  });
}

/** SIGTERM, SIGKILL after 15 s if it has not ended by then; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  leaving.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

/** Stops every started process, newest first (the mail sink outlives the worker that sends to it), then drops the databases and the vhost. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    await beforeStop().catch((err: unknown) => console.error('clean-up before stopping failed:', err));
    for (const { child } of [...started].reverse()) await stopProcess(child);
    await dropTestDatabases().catch((err: unknown) => console.error('could not drop the scratch databases:', err));
    await deleteTestVhost().catch((err: unknown) => console.error('could not delete the scratch vhost:', err));
    console.error(`stopped ${started.length} processes; dropped the databases and the vhost of run ${runId}`);
  })();
  return stopping;
}

/**
 * Runs a benchmark's `main`, then stops what it started and exits; so do a failure, Ctrl-C and
 * SIGTERM. `beforeStop` runs first, e.g. to end the script's own connections to a database that
 * is about to be dropped.
 */
export function runBenchmark(main: () => Promise<void>, options: { beforeStop?: () => Promise<void> } = {}): void {
  if (options.beforeStop) beforeStop = options.beforeStop;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping`);
      void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  main().then(
    () => stop().then(() => process.exit(0)),
    (err: unknown) => {
      // Once stopping (Ctrl-C), a query cut short is the expected end, not news.
      if (!stopping) console.error(err);
      void stop().finally(() => process.exit(1));
    },
  );
}

/** Writes `section` (which starts with `heading`) into docs/benchmarks.md in place of the old one, or at the end; the other sections stay as they are. */
export async function writeBenchmarkSection(heading: string, section: string): Promise<void> {
  const file = path.join(root, 'docs/benchmarks.md');
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  let next = start === -1 ? -1 : text.indexOf('\n## ', start + 1);
  if (next === -1) next = text.length;
  const updated = start === -1 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start + 1)}${section}${text.slice(next).replace(/^\n*/, '\n')}`;
  await writeFile(file, updated.trimEnd() + '\n');
  process.stdout.write('written to docs/benchmarks.md\n');
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU time of the whole machine and of every process, from /proc (Linux). */
export interface CpuSnapshot {
  at: number;
  busyTicks: number;
  totalTicks: number;
  processes: Map<number, { comm: string; ticks: number }>;
}

// USER_HZ, which /proc reports times in, is 100 on every mainstream Linux build.
const ticksPerSecond = 100;

/** The "top" view of who used the cores: take one before and one after, then `cpuUse`. Undefined without /proc. */
export async function cpuSnapshot(): Promise<CpuSnapshot | undefined> {
  try {
    const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
    const fields = cpu!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3]! + fields[4]!;
    const processes = new Map<number, { comm: string; ticks: number }>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      if (!stat) continue;
      // The command sits in parentheses and may hold spaces; the counters follow the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(entry), { comm, ticks: Number(rest[11]) + Number(rest[12]) });
    }
    return { at: performance.now(), busyTicks: total - idle, totalTicks: total, processes };
  } catch {
    return undefined;
  }
}

// Processes not started here, by command name; kernel threads (kworker/1:2) by their stem.
const otherGroups: Record<string, string> = { postgres: 'PostgreSQL', 'beam.smp': 'RabbitMQ', node: 'node processes not started by this run', esbuild: 'esbuild (tsx)' };

/**
 * CPU used between two snapshots, in per cent of one core, grouped: the processes `names` names
 * (by PID), PostgreSQL, RabbitMQ, the rest by command; and the busy share of all cores.
 */
export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, names: ReadonlyMap<number, string>) {
  const seconds = (after.at - before.at) / 1000;
  const groups = new Map<string, number>();
  for (const [pid, { comm, ticks }] of after.processes) {
    const used = ticks - (before.processes.get(pid)?.ticks ?? 0);
    const group = names.get(pid) ?? otherGroups[comm] ?? comm.split('/')[0]!;
    groups.set(group, (groups.get(group) ?? 0) + used);
  }
  const percent = (ticks: number) => (ticks / ticksPerSecond / seconds) * 100;
  const totalShare = (after.busyTicks - before.busyTicks) / (after.totalTicks - before.totalTicks);
  return {
    busyPercent: totalShare * 100,
    groups: [...groups].map(([name, ticks]) => ({ name, percent: percent(ticks) })).sort((a, b) => b.percent - a.percent),
  };
}

/** Polls `url` until it answers 200 (a process's readiness probe, say); throws after the timeout. */
export async function waitFor(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
