/**
 * Notification worker benchmark (a script, not a test): starts the worker as its own process on a
 * scratch database and the run's scratch vhost, with an SMTP sink in this script's process, and
 * publishes order.placed events for it as fast as the broker confirms them, each to its own
 * address. Measures how fast the mails reach the sink and how long each took from its publish to
 * the sink's acceptance, once with MAIL_SEND_CONCURRENCY at its default and once at 1 (a fresh
 * worker and database for each), with the worker's memory and CPU. Writes its own section of
 * docs/benchmarks.md. `pnpm bench:mails` (BENCH_MAILS to change the number of events).
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { orderPlaced, routingKeyOf, type EventEnvelope, type OrderPlacedV1 } from '@shop/contracts';
import { buildEnvelope } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { createLogger } from '@shop/platform';
import { eventually, freePort, runId, startMailSink, startShopProcess, testAmqpUrl, testDatabaseUrl, type MailSink, type ShopProcess } from '@shop/testkit';
import { loadNotificationConfig } from '../services/notification/src/config';
import { placedOrder } from '../services/notification/test/events';
import { cpuSnapshot, cpuUse, percentile, runBenchmark, stopProcess, track, writeBenchmarkSection } from './bench-kit';

const eventCount = Number(process.env.BENCH_MAILS ?? 1_000);
const warmUpCount = 20;
const acceptWaitMs = 600_000;
const defaultConcurrency = loadNotificationConfig({}).MAIL_SEND_CONCURRENCY;
const sectionHeading = '## Notification worker: mails per second';
// Admin routes are not called: the worker only needs a well-formed address for its token keys.
const unusedJwksUrl = 'http://127.0.0.1:9/auth/jwks';
const mib = (kib: number) => kib / 1024;

/** One row: a fresh worker at one MAIL_SEND_CONCURRENCY, and what it did with `eventCount` events. */
interface Row {
  concurrency: number;
  mails: number;
  /** Wall clock (ms) of the first publish call, the broker's last confirm, the first and the last mail accepted by the sink. */
  publishStart: number;
  publishEnd: number;
  firstAccept: number;
  lastAccept: number;
  /** Per mail: publish call to the sink's acceptance. */
  latencies: number[];
  /** Per mail, from the worker's record: publish call to the worker taking the event, and from then to the sink's acceptance. */
  taken: number[];
  takenToAccepted: number[];
  /** Wall clock of the first and the last event taken. */
  firstTaken: number;
  lastTaken: number;
  /** Mails the sink accepted before the broker had confirmed every event. */
  acceptedWhilePublishing: number;
  retried: number;
  notSent: number;
  rss: { idleKib: number; peakKib: number; highWaterKib: number };
  cpu: ReturnType<typeof cpuUse> | undefined;
  /** Busy share of all cores over 3 s just before the row, with the worker idle: other work on the machine. */
  idleBusyPercent: number | undefined;
  warnings: string[];
}

let closeDatabase: () => Promise<void> = async () => undefined;

function start(name: string, entry: string, env: Record<string, string>): ShopProcess {
  const shop = startShopProcess(entry, { LOG_LEVEL: 'warn', ...env });
  track(name, shop.child, () => shop.logs().slice(-20).map((line) => JSON.stringify(line)));
  return shop;
}

/** Fields of /proc/<pid>/status in KiB (VmRSS, VmHWM); 0 when the process is gone or there is no /proc. */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * How long the sink takes to greet a new SMTP connection (the median of `count`): smtp-server holds
 * its 220 back for a moment to catch clients that talk too soon, and the worker opens a connection
 * per mail.
 */
async function greetingPause(port: number, count = 10): Promise<number> {
  const pauses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    pauses.push(
      await new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', reject);
        socket.once('data', () => {
          resolve(performance.now() - started);
          socket.end('QUIT\r\n');
        });
      }),
    );
  }
  return percentile(pauses, 50);
}

/** Samples a process's RSS until stopped; resolves with the largest seen. */
function sampleRss(pid: number, everyMs = 100): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      peak = Math.max(peak, (await memoryOf(pid)).rss);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return peak;
  })();
  return {
    stop() {
      running = false;
      return done;
    },
  };
}

/** Busy share of all cores over a few seconds, in per cent: taken with the worker idle, it is other work on the machine. */
async function busyShare(ms = 3_000): Promise<number | undefined> {
  const before = await cpuSnapshot();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await cpuSnapshot();
  return before && after ? cpuUse(before, after, new Map()).busyPercent : undefined;
}

/** order.placed envelopes as the order service writes them, each to an address of its own. */
function orderEvents(label: string, count: number): Array<EventEnvelope<OrderPlacedV1>> {
  return Array.from({ length: count }, (_, i) => {
    const data = placedOrder(`bench-mail-${label}-${i}-${runId}@example.test`);
    return buildEnvelope('order', orderPlaced, data, { type: 'order', id: data.orderId, version: 1 });
  });
}

/**
 * Publishes every event at once, each in its own call so each has its own confirm: the client
 * pipelines them and the broker confirms them as it takes them. Resolves with each event's
 * publish-call time (wall clock, ms) and the time the last confirm came.
 */
async function publishAll(broker: Broker, events: Array<EventEnvelope<OrderPlacedV1>>): Promise<{ publishedAt: number[]; confirmedAt: number }> {
  const publishedAt: number[] = [];
  await Promise.all(
    events.map((envelope) => {
      publishedAt.push(Date.now());
      return broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
    }),
  );
  return { publishedAt, confirmedAt: Date.now() };
}

/** When the sink accepted the mail to each address (wall clock, ms); polls, as the sink keeps only its newest 1000. */
async function acceptances(sink: MailSink, addresses: string[], progress: boolean): Promise<Map<string, number>> {
  const wanted = new Set(addresses);
  const accepted = new Map<string, number>();
  const deadline = Date.now() + acceptWaitMs;
  let reported = 0;
  while (accepted.size < wanted.size) {
    for (const mail of sink.messages()) {
      const to = mail.to[0]?.address;
      if (to && wanted.has(to) && !accepted.has(to)) accepted.set(to, mail.received.getTime());
    }
    if (progress && accepted.size >= reported + 250) {
      reported = accepted.size - (accepted.size % 250);
      process.stdout.write(`${reported} `);
    }
    if (Date.now() > deadline) throw new Error(`only ${accepted.size} of ${wanted.size} mails reached the sink within ${acceptWaitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return accepted;
}

/** The worker's record of each order mail: when it took the event (the row's creation), tries, outcome. */
async function records(databaseUrl: string): Promise<Map<string, { createdAt: number; attempts: number; status: string }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  closeDatabase = () => client.end().catch(() => undefined);
  try {
    const { rows } = await client.query<{ recipient: string; created_at: Date; attempts: number; status: string }>(
      `SELECT recipient, created_at, attempts, status FROM notifications WHERE template = 'order-confirmation'`,
    );
    return new Map(rows.map((r) => [r.recipient, { createdAt: r.created_at.getTime(), attempts: r.attempts, status: r.status }]));
  } finally {
    await closeDatabase();
  }
}

async function measure(broker: Broker, sink: MailSink, amqpUrl: string, concurrency: number): Promise<Row> {
  const [port, opsPort] = [await freePort(), await freePort()];
  const databaseUrl = testDatabaseUrl('bench_notification');
  const env: Record<string, string> = {
    PORT: String(port),
    OPS_PORT: String(opsPort),
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.smtpPort),
    JWKS_URL: unusedJwksUrl,
  };
  // The default row leaves the setting unset, so the worker's own default applies.
  if (concurrency !== defaultConcurrency) env.MAIL_SEND_CONCURRENCY = String(concurrency);
  process.stdout.write(`MAIL_SEND_CONCURRENCY=${concurrency}: starting the worker ... `);
  const worker = start(`notification (concurrency ${concurrency})`, 'services/notification/src/main.ts', env);
  const pid = worker.child.pid!;
  await eventually(() => fetch(`http://127.0.0.1:${opsPort}/health/ready`).then((r) => r.ok), 120_000, 'the notification worker to be ready');

  // Unrecorded: the first mails compile templates and warm the JIT, the pools and the connections.
  process.stdout.write(`ready; warm-up (${warmUpCount} mails) ... `);
  const warmUp = orderEvents(`warm-${concurrency}`, warmUpCount);
  await publishAll(broker, warmUp);
  await acceptances(sink, warmUp.map((e) => e.data.email), false);
  sink.clear();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleBusyPercent = await busyShare();
  const idle = await memoryOf(pid);

  const events = orderEvents(`c${concurrency}`, eventCount);
  process.stdout.write(`done; ${eventCount} events ... `);
  const rss = sampleRss(pid);
  const cpuBefore = await cpuSnapshot();
  const published = await publishAll(broker, events);
  const accepted = await acceptances(sink, events.map((e) => e.data.email), true);
  const cpuAfter = await cpuSnapshot();
  const peakKib = await rss.stop();
  const highWaterKib = (await memoryOf(pid)).hwm;
  // The record of the last mail is written just after the sink accepted it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const recorded = await records(databaseUrl);
  const warnings = worker.logs().filter((l) => l.level === 'warn' || l.level === 'error').map((l) => String(l.message));
  await stopProcess(worker.child);
  process.stdout.write('done\n');

  const latencies: number[] = [];
  const taken: number[] = [];
  const takenToAccepted: number[] = [];
  const takenTimes: number[] = [];
  events.forEach((event, i) => {
    const at = accepted.get(event.data.email)!;
    latencies.push(at - published.publishedAt[i]!);
    const record = recorded.get(event.data.email);
    if (!record) return;
    taken.push(record.createdAt - published.publishedAt[i]!);
    takenToAccepted.push(at - record.createdAt);
    takenTimes.push(record.createdAt);
  });
  const acceptTimes = [...accepted.values()];
  const ours = events.map((e) => recorded.get(e.data.email)).filter((r) => r !== undefined);
  const names = new Map([[pid, 'notification worker'], [process.pid, 'this script (publisher, SMTP sink)']]);
  return {
    concurrency,
    mails: accepted.size,
    publishStart: published.publishedAt[0]!,
    publishEnd: published.confirmedAt,
    firstAccept: Math.min(...acceptTimes),
    lastAccept: Math.max(...acceptTimes),
    latencies,
    taken,
    takenToAccepted,
    firstTaken: Math.min(...takenTimes),
    lastTaken: Math.max(...takenTimes),
    acceptedWhilePublishing: acceptTimes.filter((t) => t <= published.confirmedAt).length,
    retried: ours.filter((r) => r.attempts > 1).length,
    notSent: ours.filter((r) => r.status !== 'sent').length + (eventCount - ours.length),
    rss: { idleKib: idle.rss, peakKib, highWaterKib },
    cpu: cpuBefore && cpuAfter ? cpuUse(cpuBefore, cpuAfter, names) : undefined,
    idleBusyPercent,
    warnings,
  };
}

/** The figures of a row as the report gives them. */
function figuresOf(row: Row) {
  const acceptSpan = (row.lastAccept - row.firstAccept) / 1000;
  const wholeSpan = (row.lastAccept - row.publishStart) / 1000;
  const cpuOf = (name: string) => row.cpu?.groups.find((g) => g.name === name)?.percent ?? NaN;
  const worker = cpuOf('notification worker');
  return {
    // The first acceptance starts the clock: the mails after it, over the time they took.
    sustained: (row.mails - 1) / acceptSpan,
    overall: row.mails / wholeSpan,
    wholeSpan,
    p50: percentile(row.latencies, 50),
    p99: percentile(row.latencies, 99),
    max: Math.max(...row.latencies),
    takenPerSecond: (row.taken.length - 1) / ((row.lastTaken - row.firstTaken) / 1000),
    takenP50: percentile(row.taken, 50),
    takenMax: Math.max(...row.taken),
    takenToAcceptedP50: percentile(row.takenToAccepted, 50),
    takenToAcceptedP99: percentile(row.takenToAccepted, 99),
    publishMs: row.publishEnd - row.publishStart,
    worker,
    postgres: cpuOf('PostgreSQL'),
    rabbit: cpuOf('RabbitMQ'),
    script: cpuOf('this script (publisher, SMTP sink)'),
    // Every busy tick of the machine not in the four above: other runs, kernel threads.
    others: row.cpu ? row.cpu.busyPercent * os.cpus().length - row.cpu.groups.filter((g) => ['notification worker', 'PostgreSQL', 'RabbitMQ', 'this script (publisher, SMTP sink)'].includes(g.name)).reduce((s, g) => s + g.percent, 0) : NaN,
    busy: row.cpu?.busyPercent ?? NaN,
    workerCpuMsPerMail: ((worker / 100) * wholeSpan * 1000) / row.mails,
  };
}

async function main(): Promise<void> {
  const amqpUrl = await testAmqpUrl();
  const loadAtStart = os.loadavg();
  const sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
  const broker = connectBroker({ url: amqpUrl, name: 'bench-mails-publisher', logger: createLogger('bench-mails', 'warn') });
  try {
    await eventually(() => broker.isConnected(), 10_000, 'the broker connection');
    const greetingMs = await greetingPause(sink.smtpPort);
    process.stdout.write(`the sink greets a new SMTP connection after ${greetingMs.toFixed(0)} ms\n`);
    const rows: Row[] = [];
    for (const concurrency of [defaultConcurrency, 1]) rows.push(await measure(broker, sink, amqpUrl, concurrency));
    for (const row of rows) {
      const f = figuresOf(row);
      console.log(`
MAIL_SEND_CONCURRENCY=${label(row)}
  mails accepted            ${row.mails} of ${eventCount}; ${row.retried} retried, ${row.notSent} not recorded as sent
  mails/s                   ${f.sustained.toFixed(1)} first to last accept, ${f.overall.toFixed(1)} publish start to last accept (${f.wholeSpan.toFixed(1)} s)
  publish to accept         p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms, max ${ms(f.max)} ms
  publishing                ${f.publishMs} ms until the broker confirmed all ${eventCount}; ${row.acceptedWhilePublishing} mails accepted meanwhile
  events taken              ${f.takenPerSecond.toFixed(0)}/s; publish to taken p50 ${ms(f.takenP50)} ms, max ${ms(f.takenMax)} ms; taken to accepted p50 ${ms(f.takenToAcceptedP50)} ms, p99 ${ms(f.takenToAcceptedP99)} ms
  worker RSS                ${mib(row.rss.idleKib).toFixed(0)} MiB idle, ${mib(row.rss.peakKib).toFixed(0)} MiB peak (high-water since start ${mib(row.rss.highWaterKib).toFixed(0)} MiB)
  CPU (% of one core)       worker ${f.worker.toFixed(0)}, PostgreSQL ${f.postgres.toFixed(0)}, RabbitMQ ${f.rabbit.toFixed(0)}, script ${f.script.toFixed(0)}, others ${f.others.toFixed(0)}; machine ${f.busy.toFixed(0)}% busy (before the row: ${row.idleBusyPercent?.toFixed(0) ?? 'n/a'}%)
  worker CPU per mail       ${f.workerCpuMsPerMail.toFixed(1)} ms
  warnings                  ${row.warnings.length === 0 ? 'none' : `${row.warnings.length}: ${row.warnings.slice(0, 3).join('; ')}`}`);
    }
    await writeSection(rows, loadAtStart, greetingMs);
  } finally {
    await broker.close().catch(() => undefined);
    await sink.close();
  }
}

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));
const label = (row: Row) => `${row.concurrency}${row.concurrency === defaultConcurrency ? ' (default)' : ''}`;

async function writeSection(rows: Row[], loadAtStart: number[], greetingMs: number): Promise<void> {
  const table = rows.map((row) => {
    const f = figuresOf(row);
    return `| ${label(row)} | ${row.mails} | ${f.sustained.toFixed(1)} | ${f.overall.toFixed(1)} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ${mib(row.rss.idleKib).toFixed(0)} / ${mib(row.rss.peakKib).toFixed(0)} |`;
  });
  const detail = rows.map((row) => {
    const f = figuresOf(row);
    return `| ${label(row)} | ${f.publishMs} ms | ${f.takenPerSecond.toFixed(0)} | ${ms(f.takenP50)} / ${ms(f.takenMax)} | ${ms(f.takenToAcceptedP50)} / ${ms(f.takenToAcceptedP99)} | ${f.worker.toFixed(0)} | ${f.workerCpuMsPerMail.toFixed(1)} | ${f.postgres.toFixed(0)} / ${f.rabbit.toFixed(0)} / ${f.script.toFixed(0)} / ${f.others.toFixed(0)} | ${f.busy.toFixed(0)}% (${row.idleBusyPercent === undefined ? 'n/a' : `${row.idleBusyPercent.toFixed(0)}%`}) |`;
  });
  const problems = rows.filter((r) => r.retried || r.notSent || r.warnings.length);
  const section = `${sectionHeading}

Measured by \`pnpm bench:mails\` (scripts/bench-mails.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} CPU cores
(${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Everything is local and shares
those cores: the worker, PostgreSQL, RabbitMQ, and the script, which publishes the events and runs the
SMTP sink; other work on the machine too (load average ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} over 1, 5 and 15 minutes when the run
began; the second table shows how busy the cores were just before each row and what other processes
took during it).

Run it with \`pnpm bench:mails\` (PostgreSQL and RabbitMQ as for the tests; \`BENCH_MAILS\` changes the
number of events, ${eventCount.toLocaleString('en-US')} by default). For each row the script starts a fresh notification worker
(\`node --conditions=development --import tsx services/notification/src/main.ts\`, LOG_LEVEL=warn, its own database), sends
${warmUpCount} unrecorded warm-up mails through it, then publishes ${eventCount.toLocaleString('en-US')} \`order.placed\` events (the payload of the
worker's tests: two lines and a shipping address), each to its own address, all at once: the client
pipelines them and the broker confirms them as it takes them. A mail's time runs from its event's
publish call to the sink's acceptance of the mail (the sink's \`received\`, stamped as it answers the
message's DATA). The sink (\`startMailSink\` of @shop/mail-sink) runs in the script's process rather
than as a process of its own: once the events are out (${rows.map((r) => `${figuresOf(r).publishMs} ms`).join(' and ')}), the script does nothing but
receive mails, its CPU is in the second table, and it reads each mail's acceptance time from the sink
directly instead of through the HTTP API. Mails/s are counted from the first acceptance to the last
(the mails after the first over that time) and from the first publish call to the last acceptance.
RSS is the worker's node process (VmRSS from /proc): idle after the warm-up, and the peak sampled every
100 ms during the row.

| MAIL_SEND_CONCURRENCY | mails | mails/s, first to last accept | mails/s, publish start to last accept | publish to accept p50 ms | p99 ms | max ms | worker RSS idle / peak MiB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${table.join('\n')}

Where the time went, from the worker's own record of each mail (the row it writes as it takes the
event), and CPU during the row in per cent of one core (from /proc; ${os.cpus().length * 100}% is the whole machine;
"other" is every process not named, other test runs included):

| MAIL_SEND_CONCURRENCY | publishing, until the broker confirmed all | events taken per s | publish to taken, p50 / max ms | taken to accepted, p50 / p99 ms | worker CPU % | worker CPU ms per mail | PostgreSQL / RabbitMQ / script / other CPU % | cores busy (just before the row) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${detail.join('\n')}

The sink greets a new SMTP connection ${greetingMs.toFixed(0)} ms after it opens (the median of 10; smtp-server holds its 220 back
to catch clients that talk too soon). The worker's high-water RSS since its start (VmHWM): ${rows.map((r) => `${mib(r.rss.highWaterKib).toFixed(0)} MiB at ${r.concurrency}`).join(', ')}.
${problems.length === 0 ? 'Every mail went out at the first try, and the worker logged nothing at warn or above.' : problems.map((r) => `At ${r.concurrency}: ${r.retried} mails retried, ${r.notSent} not recorded as sent, ${r.warnings.length} log lines at warn or above${r.warnings.length ? ` (${r.warnings.slice(0, 3).join('; ')})` : ''}.`).join(' ')}

${reading(rows, greetingMs)}
`;
  await writeBenchmarkSection(sectionHeading, section);
}

/** The paragraph that reads the figures: what bounds the worker's throughput in this run. */
function reading(rows: Row[], greetingMs: number): string {
  const [many, one] = rows.map((row) => ({ row, f: figuresOf(row) }));
  if (!many || !one) return '';
  const perMail = 1000 / one.f.sustained;
  const lanes = many.row.concurrency;
  // dispatchDueMails claims max(10, 4 x concurrency) mails and claims again once all of them are done.
  const claim = Math.max(10, lanes * 4);
  const turns = Math.ceil(claim / lanes);
  const waiting = many.f.worker < 85 && many.f.busy < 90;
  const busiest = [many, one].sort((x, y) => y.f.others - x.f.others)[0]!;
  return `Reading the figures: ${
    waiting
      ? `the worker is not short of CPU (its process used ${many.f.worker.toFixed(0)}% of one core at ${lanes} and ${one.f.worker.toFixed(0)}% at 1, about
${many.f.workerCpuMsPerMail.toFixed(0)}–${one.f.workerCpuMsPerMail.toFixed(0)} ms of CPU per mail, and the cores were ${many.f.busy.toFixed(0)}% and ${one.f.busy.toFixed(0)}% busy), so what bounds it is waiting.`
      : `the worker ran short of CPU at ${lanes} (its process used ${many.f.worker.toFixed(0)}% of one core, about ${many.f.workerCpuMsPerMail.toFixed(0)} ms per
mail, with the cores ${many.f.busy.toFixed(0)}% busy), and waiting bounds it at 1.`
  } Each mail
goes over a new SMTP connection (services/notification/src/adapters/mailer.ts has no pool), and the sink greets
each connection only after its pause of ${greetingMs.toFixed(0)} ms: at concurrency 1 that is ${((greetingMs / perMail) * 100).toFixed(0)}% of the ${perMail.toFixed(0)} ms a mail
takes (${one.f.sustained.toFixed(1)} mails/s), the rest being the claim, the SMTP conversation and the transaction that records the
mail with its notification.sent, one after another. At ${lanes}, the lanes overlap those waits, but the dispatcher
(services/notification/src/app/dispatch-mails.use-case.ts) claims ${claim} mails at a time and claims again only
once all of them are done${
    claim % lanes === 0
      ? `: ${turns} full turns of every lane, then the lanes wait for the batch's slowest mail before the next claim`
      : `, so each batch takes ${turns} turns of a lane, the last with ${claim - lanes * (turns - 1)} mail${claim - lanes * (turns - 1) === 1 ? '' : 's'} while the other lanes idle`
  }, at most ${(claim / turns).toFixed(0)} times concurrency 1 on paper; measured, ${many.f.sustained.toFixed(1)} mails/s, ${(many.f.sustained / one.f.sustained).toFixed(1)} times.
The consumer took the events far faster than the mails went out (${many.f.takenPerSecond.toFixed(0)} and ${one.f.takenPerSecond.toFixed(0)} a second; every event was
taken within ${(Math.max(many.f.takenMax, one.f.takenMax) / 1000).toFixed(0)} s of its publish), so the backlog waited as queued mails in the worker's database rather
than in RabbitMQ, and the publish-to-accept time is mostly that wait: the median mail waits for the first half
of the burst to go out, the last for all of it, so those figures grow with the burst, not with the worker's
cost per mail. An SMTP server that greets at once, a pooled connection, or
claiming as lanes free up rather than a batch at a time would each raise the rate; more CPU would do little
while the worker spends most of each mail waiting.${
    busiest.f.others >= 30
      ? ` Other work on the machine took ${busiest.f.others.toFixed(0)}% of a core during the row at ${busiest.row.concurrency} ("other" above),
which slows every step, so a quiet machine would give somewhat higher figures there.`
      : ''
  }`;
}

runBenchmark(main, { beforeStop: () => closeDatabase() });
