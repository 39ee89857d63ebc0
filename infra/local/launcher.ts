/**
 * `npm start`: runs the whole shop on this machine: a local SMTP sink, the sandbox payment
 * provider, every service, the notification worker and the gateway, each as its own process with its log lines prefixed.
 * Services create and migrate their own databases on start; an empty catalog gets the demo
 * catalog. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { seedDemoCatalog } from './demo-catalog';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const host = '127.0.0.1';
const postgres = env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const amqp = env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const gatewayPort = env.GATEWAY_PORT ?? '8080';
const admin = { email: env.ADMIN_EMAIL ?? 'admin@shop.local', password: env.ADMIN_PASSWORD ?? 'Admin12345' };
const mail = { smtp: env.SMTP_SINK_PORT ?? '1025', http: env.MAIL_UI_PORT ?? '8025' };
// The local shop's webhook secrets: well known, for a shop on one machine only (production sets its own).
const webhookSecrets = { payment: env.PAYMENT_WEBHOOK_SECRET ?? 'dev-payment-webhook-secret', carrier: env.CARRIER_WEBHOOK_SECRET ?? 'dev-carrier-webhook-secret' };

interface ProcessSpec {
  name: string;
  entry: string;
  port: string;
  /** Operations port: the launcher waits for its /health/ready before starting the next process. */
  opsPort?: string;
  env: Record<string, string>;
}

const shared = { NODE_ENV: 'development', LOG_LEVEL: env.LOG_LEVEL ?? 'info', AMQP_URL: amqp, HOST: host };
const services: ProcessSpec[] = [
  { name: 'mail-sink', entry: 'packages/mail-sink/src/main.ts', port: mail.http, env: { SMTP_PORT: mail.smtp, HTTP_PORT: mail.http } },
  {
    name: 'customer',
    entry: 'services/customer/src/main.ts',
    port: '3001',
    opsPort: '9001',
    env: { ...shared, PORT: '3001', OPS_PORT: '9001', DATABASE_URL: `${postgres}/shop_customer`, PUBLIC_BASE_URL: `http://localhost:${gatewayPort}`, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
  },
  {
    name: 'catalog',
    entry: 'services/catalog/src/main.ts',
    port: '3002',
    opsPort: '9002',
    env: { ...shared, PORT: '3002', OPS_PORT: '9002', DATABASE_URL: `${postgres}/shop_catalog`, JWKS_URL: 'http://127.0.0.1:3001/auth/jwks' },
  },
  {
    name: 'inventory',
    entry: 'services/inventory/src/main.ts',
    port: '3003',
    opsPort: '9003',
    env: { ...shared, PORT: '3003', OPS_PORT: '9003', DATABASE_URL: `${postgres}/shop_inventory`, JWKS_URL: 'http://127.0.0.1:3001/auth/jwks' },
  },
  {
    name: 'cart',
    entry: 'services/cart/src/main.ts',
    port: '3004',
    opsPort: '9004',
    env: {
      ...shared,
      PORT: '3004',
      OPS_PORT: '9004',
      DATABASE_URL: `${postgres}/shop_cart`,
      JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
      INVENTORY_SERVICE_URL: 'http://127.0.0.1:3003',
      CATALOG_SERVICE_URL: 'http://127.0.0.1:3002',
    },
  },
  {
    // Stands in for the card processor; it calls the shop back through the gateway, retrying until the gateway is up.
    name: 'payment-sandbox',
    entry: 'infra/payment-sandbox/src/main.ts',
    port: '4010',
    opsPort: '9010',
    env: {
      ...shared,
      PORT: '4010',
      OPS_PORT: '9010',
      DATABASE_URL: `${postgres}/shop_payment_sandbox`,
      WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/api/v1/webhooks/payments`,
      WEBHOOK_SECRET: webhookSecrets.payment,
      // Where a shopper's browser opens the PayPal-style approval page.
      PUBLIC_URL: 'http://localhost:4010',
    },
  },
  {
    name: 'payment',
    entry: 'services/payment/src/main.ts',
    port: '3006',
    opsPort: '9006',
    env: {
      ...shared,
      PORT: '3006',
      OPS_PORT: '9006',
      DATABASE_URL: `${postgres}/shop_payment`,
      PAYMENT_PROVIDER_URL: 'http://127.0.0.1:4010',
      PAYMENT_WEBHOOK_SECRET: webhookSecrets.payment,
    },
  },
  {
    name: 'order',
    entry: 'services/order/src/main.ts',
    port: '3005',
    opsPort: '9005',
    env: {
      ...shared,
      PORT: '3005',
      OPS_PORT: '9005',
      DATABASE_URL: `${postgres}/shop_order`,
      JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
      CUSTOMER_SERVICE_URL: 'http://127.0.0.1:3001',
      CART_SERVICE_URL: 'http://127.0.0.1:3004',
      INVENTORY_SERVICE_URL: 'http://127.0.0.1:3003',
      PAYMENT_SERVICE_URL: 'http://127.0.0.1:3006',
      CARRIER_WEBHOOK_SECRET: webhookSecrets.carrier,
    },
  },
  {
    name: 'notification',
    entry: 'services/notification/src/main.ts',
    port: '3007',
    opsPort: '9007',
    env: {
      ...shared,
      PORT: '3007',
      OPS_PORT: '9007',
      DATABASE_URL: `${postgres}/shop_notification`,
      SMTP_HOST: host,
      SMTP_PORT: mail.smtp,
      JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
      PUBLIC_BASE_URL: `http://localhost:${gatewayPort}`,
      // Staff alerts (low stock, failed refunds) go to the admin of the local shop.
      ALERT_EMAIL: admin.email,
    },
  },
  {
    name: 'gateway',
    entry: 'gateway/src/main.ts',
    port: gatewayPort,
    opsPort: '9080',
    env: {
      ...shared,
      PORT: gatewayPort,
      OPS_PORT: '9080',
      // Clients of the local shop reach the gateway directly from this machine; behind an ingress,
      // TRUST_PROXY names the ingress instead.
      TRUST_PROXY: 'loopback',
      // The storefront and admin `npm start` built: served beside the API, on the same origin.
      WEB_DIR: path.join(root, 'web', 'dist'),
      CUSTOMER_SERVICE_URL: 'http://127.0.0.1:3001',
      CATALOG_SERVICE_URL: 'http://127.0.0.1:3002',
      INVENTORY_SERVICE_URL: 'http://127.0.0.1:3003',
      CART_SERVICE_URL: 'http://127.0.0.1:3004',
      ORDER_SERVICE_URL: 'http://127.0.0.1:3005',
      PAYMENT_SERVICE_URL: 'http://127.0.0.1:3006',
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3007',
    },
  },
];

const colors = [36, 33, 35, 32, 34, 31, 96, 93, 95];
const children: ChildProcess[] = [];
let stopping = false;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until a process says it is ready on its operations port (its database migrated, routes open). */
async function waitForReady(opsPort: number, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopping) return;
    const status = await fetch(`http://${host}:${opsPort}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${name} did not become ready (operations port ${opsPort})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForPort(port: number, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port))) {
    if (stopping) return;
    if (Date.now() > deadline) throw new Error(`${name} did not start listening on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** `services/x/src/main.ts` -> `<root>/services/x/dist/main.js`, what `pnpm run build` writes. */
function compiled(entry: string): string {
  return path.join(root, entry.replace('/src/', '/dist/').replace(/\.ts$/, '.js'));
}

function start(spec: ProcessSpec, index: number): ChildProcess {
  // Compiled JavaScript, as in the images (`npm start` builds first): a process starts faster and
  // smaller than under a run-time transpiler.
  const child = spawn(process.execPath, [compiled(spec.entry)], {
    cwd: root,
    env: { ...env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${colors[index % colors.length]}m${spec.name.padEnd(12)}|\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stdout.write(`${prefix}exited (${signal ?? code}); stopping the shop\n`);
    void stopAll(1);
  });
  children.push(child);
  return child;
}

async function stopAll(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = children.filter((c) => c.exitCode === null).map((c) => new Promise((resolve) => c.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  const force = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 15_000);
  await Promise.all(exits);
  clearTimeout(force);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  const pg = new URL(postgres);
  const rabbit = new URL(amqp);
  for (const [name, port] of [['PostgreSQL', Number(pg.port || 5432)], ['RabbitMQ', Number(rabbit.port || 5672)]] as const) {
    if (!(await answers(port))) {
      console.error(`${name} is not answering on port ${port}; start it first (see README).`);
      process.exit(1);
    }
  }
  for (const spec of services) {
    for (const port of [spec.port, spec.opsPort].filter((p): p is string => p !== undefined)) {
      if (await answers(Number(port))) throw new Error(`port ${port} for ${spec.name} is already in use`);
    }
  }
  // All at once: each process waits for what it needs (its database, the broker) and calls the
  // others only when a request or an event asks it to, so none depends on another being up first.
  const started = Date.now();
  services.forEach((spec, index) => start(spec, index));
  await Promise.all(services.map((spec) => (spec.opsPort ? waitForReady(Number(spec.opsPort), spec.name) : waitForPort(Number(spec.port), spec.name))));
  const startSeconds = ((Date.now() - started) / 1000).toFixed(1);
  const demo = await seedDemoCatalog(`http://127.0.0.1:${gatewayPort}/api/v1`, admin);
  const demoLine = demo.seeded ? `demo catalog loaded: ${demo.categories} categories, ${demo.products} products` : 'catalog already has data: demo catalog left out';
  console.log(`
  The shop is running (every process ready ${startSeconds} s after the launch).
    storefront       http://localhost:${gatewayPort}/
    admin            http://localhost:${gatewayPort}/admin/   (sign in as the admin below)
    API gateway      http://localhost:${gatewayPort}/api/v1
    API documents    http://localhost:${gatewayPort}/api/docs   (OpenAPI: /api/v1/openapi.json, events: /api/v1/asyncapi.json)
    captured e-mails http://localhost:${mail.http}/api/v1/messages   (SMTP sink on port ${mail.smtp})
    probes, metrics  http://localhost:9080/health/ready, /metrics   (each service: 9001-9007)
    payment sandbox  http://localhost:4010/v1   (X-Api-Key: sandbox-key; test cards in the README)
    admin login      ${admin.email} / ${admin.password}
    webhook secrets  payments: ${webhookSecrets.payment}   carriers: ${webhookSecrets.carrier}
    ${demoLine}
  Press Ctrl-C to stop.
`);
}

main().catch((err) => {
  console.error(String(err));
  void stopAll(1);
});
