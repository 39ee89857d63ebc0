/**
 * What the shop's own records say after a fault run, read straight from each service's database
 * (the real server, not the proxies) and from the broker: orders and checkouts, stock, payments,
 * the provider's charges, outboxes, and queues.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export async function query<R extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface OrderRow {
  id: string;
  order_number: string;
  customer_id: string;
  status: string;
  line_items: Array<{ variantId: string; quantity: number }>;
}

export const ordersOf = (orderDb: string, customerIds: string[]) =>
  query<OrderRow>(orderDb, 'SELECT id, order_number, customer_id, status, line_items FROM orders WHERE customer_id = ANY($1)', [customerIds]);

/** Checkouts the saga has not finished (running, completing, compensating). */
export const unfinishedCheckouts = (orderDb: string) =>
  query<{ id: string; status: string; last_error: string | null }>(orderDb, `SELECT id, status, last_error FROM checkouts WHERE status IN ('running', 'completing', 'compensating')`);

export const stockOf = (inventoryDb: string, variantIds: string[]) =>
  query<{ variant_id: string; on_hand: number; reserved: number }>(inventoryDb, 'SELECT variant_id, on_hand, reserved FROM stock_items WHERE variant_id = ANY($1)', [variantIds]);

export const paymentsOf = (paymentDb: string) => query<{ order_id: string; status: string }>(paymentDb, 'SELECT order_id, status FROM payments');

/** The provider's side: every authorization it holds, with the shop's reference (the order id). */
export const providerCharges = (sandboxDb: string) => query<{ reference: string; status: string }>(sandboxDb, 'SELECT reference, status FROM authorizations');

/** Events the provider has not delivered to the shop yet. */
export const undeliveredWebhooks = async (sandboxDb: string) => Number((await query<{ n: string }>(sandboxDb, 'SELECT count(*) AS n FROM events WHERE delivered_at IS NULL'))[0]!.n);

export const unsentOutbox = async (databaseUrl: string) => Number((await query<{ n: string }>(databaseUrl, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))[0]!.n);

/** Every queue of the vhost with the messages it holds (rabbitmqctl: the management plugin may be off). */
export async function queuesOf(amqpUrl: string): Promise<Map<string, number>> {
  const vhost = decodeURIComponent(new URL(amqpUrl).pathname.slice(1));
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '-p', vhost, 'name', 'messages', '--formatter', 'json'], { timeout: 30_000 });
  const rows = JSON.parse(stdout) as Array<{ name: string; messages: number }>;
  return new Map(rows.map((r) => [r.name, r.messages]));
}
