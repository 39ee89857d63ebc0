/**
 * The shop under faults: the whole shop as separate processes, checkout load through the gateway
 * from a fixed number of buyers, and meanwhile every service killed with SIGKILL and started
 * again in turn, the broker cut, PostgreSQL's backends ended and PostgreSQL away, the SMTP sink
 * away. Then, within a bounded settle time, the shop's own records must add up: no order stuck,
 * stock that matches the orders, one capture per confirmed order and none without an order, one
 * confirmation mail per order, outboxes drained, nothing parked. Also a payment webhook replayed
 * 100 times and many buyers racing for the last units.
 *
 * Two sizes. The short run (what `npm test` runs, beside other suites) cuts PostgreSQL and
 * RabbitMQ only through TCP proxies in front of this run's processes and ends only this run's
 * own PostgreSQL backends: other suites use the real servers at the same time. The full run
 * (`npm run test:resilience`, SHOP_FAULTS=full, alone on the machine) has more buyers and longer
 * outages, stops RabbitMQ (rabbitmqctl stop_app / start_app) and restarts PostgreSQL once; it
 * writes its figures to docs/reliability/faults.md.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { signWebhook } from '@shop/platform';
import { eventually, type CapturedMail } from '@shop/testkit';
import { card, client, inBatches, sleep, type Buyer } from './buyers';
import { ordersOf, paymentsOf, providerCharges, query, queuesOf, stockOf, undeliveredWebhooks, unfinishedCheckouts, unsentOutbox, type OrderRow } from './ledger';
import { startFaultShop, WEBHOOK_SECRET, type FaultShop, type ShopProcessName } from './shop-processes';

const execute = promisify(execFile);
const full = process.env.SHOP_FAULTS === 'full';

const plan = full
  ? { buyers: 20, ordersPerBuyer: 20, thinkMs: 8_000, loadLimitMs: 420_000, gapMs: 5_000, brokerOutageMs: 30_000, postgresOutageMs: 0, smtpOutageMs: 60_000, settleMs: 180_000, racers: 200 }
  : { buyers: 8, ordersPerBuyer: 16, thinkMs: 4_000, loadLimitMs: 150_000, gapMs: 2_000, brokerOutageMs: 8_000, postgresOutageMs: 8_000, smtpOutageMs: 12_000, settleMs: 75_000, racers: 40 };
const killOrder: ShopProcessName[] = ['order', 'payment', 'inventory', 'cart', 'notification', 'customer', 'gateway'];
const LAST_UNITS = 10;
const WEBHOOK_REPLAYS = 100;
const CONFIRMED_OR_LATER = ['CONFIRMED', 'SHIPPED', 'DELIVERED'];

/** One line of the figures table: what was counted or checked, the figure, and whether it is as it must be. */
interface Figure {
  what: string;
  value: string;
  ok?: boolean;
}

const figures: Figure[] = [];
const faultLog: string[] = [];
const errorLog: string[] = [];
const logError = (line: string) => errorLog.push(line);
const note = (what: string, value: string | number, ok?: boolean) => figures.push({ what, value: String(value), ...(ok !== undefined && { ok }) });
const logFault = (line: string) => {
  faultLog.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
};
/** The fault under way, for what the buyers were answered meanwhile. */
let currentFault = 'no fault';

function table(): string {
  const kind = full
    ? `full run (npm run test:resilience): ${plan.buyers} buyers, up to ${plan.ordersPerBuyer} orders each; RabbitMQ stopped (stop_app) ${plan.brokerOutageMs / 1000} s; PostgreSQL backends ended, then PostgreSQL restarted once; SMTP sink away ${plan.smtpOutageMs / 1000} s`
    : `short run (inside npm test): ${plan.buyers} buyers, up to ${plan.ordersPerBuyer} orders each; broker cut ${plan.brokerOutageMs / 1000} s and PostgreSQL cut ${plan.postgresOutageMs / 1000} s at this run's TCP proxies (the real servers untouched), this run's PostgreSQL backends ended; SMTP sink away ${plan.smtpOutageMs / 1000} s (mail retries 0.5, 1 and 2 s, shorter than that); ${plan.racers} buyers race for ${LAST_UNITS} units (200 in the full run)`;
  const rows = figures.map((f) => `| ${f.what} | ${f.value} | ${f.ok === undefined ? '' : f.ok ? 'ok' : '**FAILED**'} |`);
  return [`Run: ${kind}.`, '', '| what | figure | check |', '| --- | --- | --- |', ...rows, '', 'Faults, in order:', '', ...faultLog.map((l) => `- ${l}`), '', 'Error log lines, by process:', '', ...errorLog.map((l) => `- ${l}`)].join('\n');
}

/** The confirmation ("order received") mail's order number, from its subject. */
const confirmationOf = (mail: CapturedMail) => /^Your .* order (\S+)$/.exec(mail.subject)?.[1];

describe(`the shop under faults (${full ? 'full run' : 'short run'})`, function () {
  this.timeout(full ? 1_800_000 : 600_000);
  let shop: FaultShop;
  let api: ReturnType<typeof client>;
  // Every mail the sink took, kept here too: the sink holds only its newest 1000.
  const mails = new Map<string, CapturedMail>();
  let mailPoller: NodeJS.Timeout | undefined;
  const startedAt = Date.now();

  before(async function () {
    this.timeout(300_000);
    shop = await startFaultShop({
      env: {
        // The provider retries its webhooks every few seconds at most, so settling is not a minute's backoff.
        'payment-sandbox': { WEBHOOK_RETRY_MAX_MS: '5000' },
        // In the short run, the mail retry ladder is shorter than the SMTP outage, as the default (31 s) is shorter than the full run's.
        ...(!full && { notification: { MAIL_RETRY_DELAYS_MS: '500,1000,2000' } }),
      },
    });
    api = client(shop.apiUrl);
    mailPoller = setInterval(() => shop.mail.messages().forEach((m) => mails.set(m.id, m)), 200);
    note('shop started (separate processes)', `${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  });

  after(async function () {
    this.timeout(120_000);
    if (mailPoller) clearInterval(mailPoller);
    if (shop) {
      const exits = shop.unexpectedExits();
      note('processes that exited on their own', exits.length === 0 ? 0 : exits.map((e) => `${e.name} (${e.exit})`).join(', '), exits.length === 0);
      for (const exit of exits) process.stdout.write(`${exit.name} exited (${exit.exit}):\n  ${exit.lastWords.join('\n  ')}\n`);
      await shop.stop();
    }
    note('whole run', `${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    const text = table();
    process.stdout.write(`\n${text}\n\n`);
    if (full) {
      const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/reliability/faults.md');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `# Faults\n\nWritten by \`npm run test:resilience\` (test/resilience/faults.test.ts) at the end of its last run, ${new Date().toISOString().slice(0, 16)} UTC.\n\n${text}\n`);
    }
  });

  it('when every service is killed in turn, the broker and PostgreSQL go away and the SMTP sink is down during checkout load, then after settling every order is final, stock, payments and mails add up, outboxes are drained and nothing is parked', async () => {
    let token = await api.adminToken();
    const products = await Promise.all([0, 1, 2].map((i) => api.productOnSale(token, 1500 + i * 700, 100_000)));
    const buyers = await inBatches(
      Array.from({ length: plan.buyers }, (_, i) => i),
      4,
      (i) => api.verifiedBuyer(shop.mail, `faults-buyer-${i}`),
    );
    for (const product of products) {
      await api.until(201, 'the cart knows the product', () => api.call('POST', '/cart/items', { body: { productId: product.productId, quantity: 1 }, token: buyers[0]!.token }));
      await api.call('DELETE', '/cart', { token: buyers[0]!.token });
    }

    // The load: each buyer adds to the cart and checks out, again and again, until its orders are
    // placed, the faults are over, or the time limit. A checkout without an answer is asked again
    // with the same Idempotency-Key, as a client would.
    const load = { attempted: 0, answered201: 0, refused: new Map<string, number>(), unanswered: 0, retried: new Map<string, number>() };
    let faultsOver = false;
    const loadEnds = Date.now() + plan.loadLimitMs;
    const buyerLoop = async (buyer: Buyer, index: number) => {
      for (let n = 0; n < plan.ordersPerBuyer && !faultsOver && Date.now() < loadEnds; n += 1) {
        const product = products[(index + n) % products.length]!;
        const added = await api.until(201, 'an item in the cart', () => api.call('POST', '/cart/items', { body: { productId: product.productId, quantity: 1 + (n % 2) }, token: buyer.token }), 90_000).catch(() => undefined);
        if (!added) continue;
        const key = randomUUID();
        load.attempted += 1;
        let outcome: string | undefined;
        for (let attempt = 0; outcome === undefined && attempt < 30; attempt += 1) {
          if (attempt > 0) await sleep(2_000);
          const answer = await api.call('POST', '/orders', { body: { shippingAddressId: buyer.addressId, payment: card }, token: buyer.token, headers: { 'idempotency-key': key } });
          const status = `${answer.status} ${answer.body?.error?.code ?? ''}`.trim();
          if (answer.status === 201) outcome = '201';
          // No answer, a failure worth retrying, or the same key's checkout still running.
          else if (answer.status === 0 || answer.status >= 500 || (answer.status === 409 && answer.body?.error?.code === 'CONFLICT')) {
            const key = `${status === '0' ? 'no answer' : `${status} "${answer.body?.error?.message ?? ''}"`} (${currentFault})`;
            load.retried.set(key, (load.retried.get(key) ?? 0) + 1);
          }
          else outcome = status;
        }
        if (outcome === '201') load.answered201 += 1;
        else if (outcome === undefined) load.unanswered += 1;
        else load.refused.set(outcome, (load.refused.get(outcome) ?? 0) + 1);
        await sleep(plan.thinkMs * (0.5 + Math.random()));
      }
    };

    const faults = async () => {
      const during = async (fault: string, work: () => Promise<void>) => {
        currentFault = fault;
        try {
          await work();
        } finally {
          currentFault = 'no fault';
        }
        await sleep(plan.gapMs);
      };
      await sleep(plan.gapMs);
      for (const name of killOrder) {
        await during(`${name} killed`, async () => {
          const away = await shop.killAndRestart(name);
          logFault(`${name}: SIGKILL, started again, ready after ${(away / 1000).toFixed(1)} s`);
        });
      }
      await during('broker away', brokerOutage);
      await during('PostgreSQL away', postgresOutage);
      await during('SMTP away', async () => {
        await cutAtProxy(shop.proxies.smtp, plan.smtpOutageMs, 'SMTP sink away', 'SMTP sink back');
      });
    };

    const loadStarted = Date.now();
    const loadDone = Promise.all(buyers.map((buyer, index) => buyerLoop(buyer, index)));
    try {
      await faults();
    } finally {
      faultsOver = true;
      // Whatever happened, the lines are restored before anything else.
      shop.proxies.postgres.restore();
      shop.proxies.broker.restore();
      shop.proxies.smtp.restore();
    }
    await loadDone;
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    // Settle: an admin's restock and two shipments (stock moves the invariants must follow), then
    // wait until nothing is left in flight, or the settle time is over.
    const settleStarted = Date.now();
    token = await api.adminToken();
    const restocked = await api.call('POST', `/admin/inventory/${products[0]!.variantId}/restock`, { body: { quantity: 25, reason: 'delivery' }, token });
    const restocks = new Map([[products[0]!.variantId, restocked.status === 200 ? 25 : 0]]);
    const customerIds = buyers.map((b) => b.customerId);
    const settled = async () => {
      const orders = await ordersOf(shop.databases.order, customerIds);
      const numbers = new Set([...mails.values()].map(confirmationOf));
      const outboxes = await Promise.all(Object.entries(shop.databases).filter(([name]) => name !== 'payment-sandbox').map(([, url]) => unsentOutbox(url)));
      const done =
        orders.every((o) => o.status !== 'PENDING' && numbers.has(o.order_number)) &&
        (await unfinishedCheckouts(shop.databases.order)).length === 0 &&
        outboxes.every((n) => n === 0) &&
        (await undeliveredWebhooks(shop.databases['payment-sandbox'])) === 0 &&
        // Last, and then only, as it asks rabbitmqctl: events waiting for a retry are still in flight.
        [...(await queuesOf(shop.amqpUrl)).values()].every((n) => n === 0);
      if (!done) await sleep(1_000);
      return done;
    };
    await eventually(settled, plan.settleMs, 'the shop to settle').catch(() => undefined);
    const confirmedToShip = (await ordersOf(shop.databases.order, customerIds)).filter((o) => o.status === 'CONFIRMED').slice(0, 2);
    for (const order of confirmedToShip) {
      await api.call('POST', `/admin/orders/${order.id}/ship`, { body: { trackingNumber: `1Z${order.order_number}`, carrier: 'UPS' }, token });
    }
    // The shipments' mails, and the notification.sent events they write, are the last things in flight.
    const shippedMails = () => confirmedToShip.every((o) => [...mails.values()].some((m) => m.subject.endsWith(`order ${o.order_number} has shipped`)));
    await eventually(async () => shippedMails() && (await settled()), 30_000, 'the shop to settle after shipping').catch(() => undefined);
    const settleSeconds = (Date.now() - settleStarted) / 1000;

    // The records.
    const orders = await ordersOf(shop.databases.order, customerIds);
    const count = (status: string) => orders.filter((o) => o.status === status).length;
    const stuckCheckouts = await unfinishedCheckouts(shop.databases.order);
    note('load', `${loadSeconds.toFixed(0)} s of checkout load, then ${settleSeconds.toFixed(0)} s to settle (limit ${plan.settleMs / 1000} s)`);
    note('orders attempted (checkouts, each with its own Idempotency-Key)', load.attempted);
    note('answered 201 / refused / never answered (after up to 30 tries)', `${load.answered201} / ${[...load.refused].map(([k, v]) => `${v}× ${k}`).join(', ') || 0} / ${load.unanswered}`);
    note('checkout requests answered for a retry (no answer, 5xx, 409 still running), by the fault under way', [...load.retried].map(([k, v]) => `${v}× ${k}`).join(', ') || 0);
    note('orders created', orders.length);
    note('confirmed (or shipped) / cancelled / pending', `${orders.filter((o) => CONFIRMED_OR_LATER.includes(o.status)).length} / ${count('CANCELLED')} / ${count('PENDING')}`);
    note(
      'orders stuck (PENDING after settling) and unfinished checkouts',
      `${count('PENDING')} and ${stuckCheckouts.length}${stuckCheckouts.map((c) => ` (${c.id}: ${c.status}, last error ${c.last_error ?? 'none'})`).join('')}`,
      count('PENDING') === 0 && stuckCheckouts.length === 0,
    );

    // Stock: onHand = initial + restocks - shipped; reserved = the units of PENDING and CONFIRMED orders.
    const stock = await stockOf(shop.databases.inventory, products.map((p) => p.variantId));
    const unitsOf = (variantId: string, statuses: string[]) =>
      orders.filter((o) => statuses.includes(o.status)).reduce((sum, o) => sum + o.line_items.filter((l) => l.variantId === variantId).reduce((s, l) => s + l.quantity, 0), 0);
    const stockRows = products.map((p) => {
      const row = stock.find((s) => s.variant_id === p.variantId);
      const onHand = p.initialStock + (restocks.get(p.variantId) ?? 0) - unitsOf(p.variantId, ['SHIPPED', 'DELIVERED']);
      const reserved = unitsOf(p.variantId, ['PENDING', 'CONFIRMED']);
      return { ok: row?.on_hand === onHand && row?.reserved === reserved, text: `onHand ${row?.on_hand} (expected ${onHand}), reserved ${row?.reserved} (expected ${reserved})` };
    });
    stockRows.forEach((r, i) => note(`stock of variant ${i + 1}`, r.text, r.ok));

    // Payments: the shop's records and the provider's charges.
    const orderIds = new Set(orders.map((o) => o.id));
    const payments = (await paymentsOf(shop.databases.payment)).filter((p) => orderIds.has(p.order_id) || p.status === 'captured');
    const charges = (await providerCharges(shop.databases['payment-sandbox'])).filter((c) => c.status === 'captured');
    const capturesPerOrder = new Map<string, number>();
    for (const charge of charges) capturesPerOrder.set(charge.reference, (capturesPerOrder.get(charge.reference) ?? 0) + 1);
    const capturedWithoutOrder = charges.filter((c) => !orderIds.has(c.reference)).length + payments.filter((p) => p.status === 'captured' && !orderIds.has(p.order_id)).length;
    const confirmed = orders.filter((o) => CONFIRMED_OR_LATER.includes(o.status));
    const confirmedWithoutOneCapture = confirmed.filter((o) => capturesPerOrder.get(o.id) !== 1 || payments.find((p) => p.order_id === o.id)?.status !== 'captured').length;
    note('captures at the provider', charges.length);
    note('captures without an order', capturedWithoutOrder, capturedWithoutOrder === 0);
    note('confirmed orders without exactly one capture', confirmedWithoutOneCapture, confirmedWithoutOneCapture === 0);

    // Mails: exactly one confirmation per order. A mail is its Message-ID: a copy sent again with
    // the same one (its worker killed after the SMTP server took it, before recording it) is the
    // same message, counted apart.
    const confirmations = new Map<string, Set<string>>();
    let copies = 0;
    for (const mail of mails.values()) {
      const number = confirmationOf(mail);
      if (!number) continue;
      const ids = confirmations.get(number) ?? new Set<string>();
      if (ids.has(mail.messageId)) copies += 1;
      confirmations.set(number, ids.add(mail.messageId));
    }
    const withoutMail = orders.filter((o) => !confirmations.has(o.order_number)).length;
    const twice = orders.filter((o) => (confirmations.get(o.order_number)?.size ?? 0) > 1).length;
    note('confirmation mails (distinct Message-IDs)', [...confirmations.values()].reduce((a, b) => a + b.size, 0));
    note('orders without a confirmation mail / with more than one', `${withoutMail} / ${twice}`, withoutMail === 0 && twice === 0);
    note('copies of a confirmation sent again with its Message-ID (the worker killed between the server taking it and recording it)', copies);
    for (const order of orders.filter((o) => confirmations.get(o.order_number)?.size !== 1)) {
      const rows = await query(shop.databases.notification, `SELECT status, attempts, error, created_at, claimed_at, sent_at, next_attempt_at FROM notifications WHERE template = 'order-confirmation' AND subject LIKE $1`, [`%${order.order_number}`]);
      logError(`order ${order.order_number}: ${confirmations.get(order.order_number)?.size ?? 0} confirmation mails; the worker's records: ${JSON.stringify(rows)}`);
    }

    // Outboxes, the provider's webhooks, the queues.
    const unsent = await Promise.all(Object.entries(shop.databases).filter(([name]) => name !== 'payment-sandbox').map(async ([name, url]) => [name, await unsentOutbox(url)] as const));
    const undrained = unsent.filter(([, n]) => n > 0);
    note('outbox rows not yet published', undrained.length === 0 ? 0 : undrained.map(([name, n]) => `${name}: ${n}`).join(', '), undrained.length === 0);
    const webhooksLeft = await undeliveredWebhooks(shop.databases['payment-sandbox']);
    note("provider webhooks not yet delivered", webhooksLeft, webhooksLeft === 0);
    const queues = await queuesOf(shop.amqpUrl);
    const parked = [...queues].filter(([name, n]) => (name.endsWith('.parked') || name === 'shop.events.unroutable') && n > 0);
    const waiting = [...queues].filter(([name, n]) => !name.endsWith('.parked') && name !== 'shop.events.unroutable' && n > 0);
    note('parked or unroutable messages', parked.length === 0 ? 0 : parked.map(([name, n]) => `${name}: ${n}`).join(', '), parked.length === 0);
    note('messages still waiting in queues', waiting.length === 0 ? 0 : waiting.map(([name, n]) => `${name}: ${n}`).join(', '), waiting.length === 0);
    const errors = [...shop.errorLines()].filter(([, lines]) => lines.length > 0);
    note('error log lines per process (expected while a dependency is away)', errors.map(([name, lines]) => `${name}: ${lines.length}`).join(', ') || 0);
    for (const [name, lines] of errors) {
      const distinct = new Map<string, number>();
      for (const line of lines) distinct.set(line, (distinct.get(line) ?? 0) + 1);
      logError(`${name}: ${[...distinct].map(([line, n]) => `${n}× "${line}"`).join('; ')}`);
    }

    expect(load.attempted, 'checkouts attempted').to.be.greaterThan(0);
    expect(orders.length, 'orders created').to.be.greaterThan(0);
    expect(figures.filter((f) => f.ok === false).map((f) => `${f.what}: ${f.value}`)).to.deep.equal([]);
  });

  it('when one payment webhook is replayed 100 times at once, then the order is confirmed once: one status change, one order.confirmed, one capture, one mail', async () => {
    const token = await api.adminToken();
    const product = await api.productOnSale(token, 2500, 50);
    const buyer = await api.verifiedBuyer(shop.mail, 'faults-replay');
    await api.until(201, 'an item in the cart', () => api.call('POST', '/cart/items', { body: { productId: product.productId, quantity: 1 }, token: buyer.token }));
    const placed = await api.until(201, 'the order', () => api.call('POST', '/orders', { body: { shippingAddressId: buyer.addressId, payment: card }, token: buyer.token, headers: { 'idempotency-key': randomUUID() } }));
    const orderId = placed.body.orderId as string;

    // The provider's capture event, replayed as soon as it exists: the replays race its own delivery.
    const [event] = await eventually(
      async () => {
        const rows = await query<{ id: string; type: string; created_at: Date; data: unknown }>(
          shop.databases['payment-sandbox'],
          `SELECT e.id, e.type, e.created_at, e.data FROM events e JOIN authorizations a ON a.id = e.authorization_id WHERE a.reference = $1 AND e.type = 'payment.captured'`,
          [orderId],
        );
        return rows.length > 0 && rows;
      },
      30_000,
      'the capture event',
    );
    const body = JSON.stringify({ id: event!.id, type: event!.type, created: Math.floor(event!.created_at.getTime() / 1000), data: event!.data });
    const answers = await Promise.all(Array.from({ length: WEBHOOK_REPLAYS }, () => api.call('POST', '/webhooks/payments', { raw: body, headers: { 'x-signature': signWebhook(WEBHOOK_SECRET, body) } })));
    const statuses = new Map<number, number>();
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);

    await eventually(async () => (await ordersOf(shop.databases.order, [buyer.customerId]))[0]?.status === 'CONFIRMED', 30_000, 'the order confirmed');
    await eventually(() => [...mails.values()].some((m) => confirmationOf(m) === placed.body.orderNumber), 30_000, 'the confirmation mail');
    await sleep(3_000);
    const confirmations = await query<{ n: string }>(shop.databases.order, `SELECT count(*) AS n FROM order_status_history WHERE order_id = $1 AND to_status = 'CONFIRMED'`, [orderId]);
    const confirmedEvents = await query<{ n: string }>(shop.databases.order, `SELECT count(*) AS n FROM outbox WHERE routing_key LIKE 'order.confirmed.%' AND envelope->'data'->>'orderId' = $1`, [orderId]);
    const capturedEvents = await query<{ n: string }>(shop.databases.payment, `SELECT count(*) AS n FROM outbox WHERE routing_key LIKE 'payment.captured.%' AND envelope->'data'->>'orderId' = $1`, [orderId]);
    const confirmationMails = [...mails.values()].filter((m) => confirmationOf(m) === placed.body.orderNumber).length;
    const figure = `answers ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}; CONFIRMED ${confirmations[0]!.n}×, order.confirmed ${confirmedEvents[0]!.n}×, payment.captured ${capturedEvents[0]!.n}×, mails ${confirmationMails}`;
    const ok = Number(confirmations[0]!.n) === 1 && Number(confirmedEvents[0]!.n) === 1 && Number(capturedEvents[0]!.n) === 1 && confirmationMails === 1 && statuses.get(200) === WEBHOOK_REPLAYS;
    note(`one capture webhook replayed ${WEBHOOK_REPLAYS} times at once`, figure, ok);
    expect(figure).to.match(/CONFIRMED 1×, order.confirmed 1×, payment.captured 1×, mails 1$/);
    expect(statuses.get(200), 'every replay answered 200').to.equal(WEBHOOK_REPLAYS);
  });

  it(`when ${plan.racers} buyers check out the last ${LAST_UNITS} units at once, then exactly ${LAST_UNITS} orders are placed and the rest refused for stock`, async () => {
    const token = await api.adminToken();
    const product = await api.productOnSale(token, 900, LAST_UNITS);
    const racers = await inBatches(
      Array.from({ length: plan.racers }, (_, i) => i),
      8,
      async (i) => {
        const buyer = await api.verifiedBuyer(shop.mail, `faults-racer-${i}`);
        await api.until(201, 'an item in the cart', () => api.call('POST', '/cart/items', { body: { productId: product.productId, quantity: 1 }, token: buyer.token }));
        return buyer;
      },
    );
    const answers = await Promise.all(
      racers.map((buyer) => api.call('POST', '/orders', { body: { shippingAddressId: buyer.addressId, payment: card }, token: buyer.token, headers: { 'idempotency-key': randomUUID() } })),
    );
    const statuses = new Map<string, number>();
    for (const answer of answers) {
      const key = `${answer.status}${answer.status === 201 ? '' : ` ${answer.body?.error?.code ?? ''}`}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const orders: OrderRow[] = (await ordersOf(shop.databases.order, racers.map((b) => b.customerId))).filter((o) => o.line_items.some((l) => l.variantId === product.variantId));
    const [stock] = await stockOf(shop.databases.inventory, [product.variantId]);
    const figure = `${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}; orders ${orders.length}; reserved ${stock?.reserved} of ${stock?.on_hand}`;
    note(`${plan.racers} buyers at once for the last ${LAST_UNITS} units`, figure, orders.length === LAST_UNITS && statuses.get('201') === LAST_UNITS && stock?.reserved === LAST_UNITS);
    expect(statuses.get('201')).to.equal(LAST_UNITS);
    expect(orders).to.have.length(LAST_UNITS);
    expect(stock?.reserved).to.equal(LAST_UNITS);
  });

  /** A line cut at its proxy for `ms`, then restored, each step in the fault log. */
  async function cutAtProxy(line: { cut(): void; restore(): void }, ms: number, cutNote: string, restoredNote: string): Promise<void> {
    logFault(`${cutNote} for ${ms / 1000} s`);
    line.cut();
    await sleep(ms);
    line.restore();
    logFault(restoredNote);
  }

  /** The broker away: in the short run its line is cut at the proxy; in the full run RabbitMQ's application is stopped. */
  async function brokerOutage(): Promise<void> {
    if (!full) {
      await cutAtProxy(shop.proxies.broker, plan.brokerOutageMs, 'broker cut at the proxy', 'broker line restored');
      return;
    }
    // stop_app closes every connection and refuses new ones for the whole outage, and keeps the
    // durable queues and their persistent messages: the broker is really gone, then really back.
    logFault(`RabbitMQ stopped (rabbitmqctl stop_app) for ${plan.brokerOutageMs / 1000} s`);
    await execute('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
    try {
      await sleep(plan.brokerOutageMs);
    } finally {
      await execute('rabbitmqctl', ['start_app'], { timeout: 120_000 });
    }
    logFault('RabbitMQ started again (start_app)');
  }

  /** PostgreSQL's backends ended twice, then PostgreSQL away: cut at the proxy in the short run, restarted in the full run. */
  async function postgresOutage(): Promise<void> {
    for (let i = 0; i < 2; i += 1) {
      logFault(`pg_terminate_backend: ended ${await shop.terminateBackends()} backends of this run's databases`);
      await sleep(plan.gapMs);
    }
    if (!full) {
      await cutAtProxy(shop.proxies.postgres, plan.postgresOutageMs, 'PostgreSQL cut at the proxy', 'PostgreSQL line restored');
      return;
    }
    const cluster = readdirSync('/etc/postgresql')[0]!;
    const at = Date.now();
    await execute('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'restart'], { timeout: 120_000 });
    logFault(`PostgreSQL restarted (pg_ctlcluster ${cluster} main restart) in ${((Date.now() - at) / 1000).toFixed(1)} s`);
  }
});
