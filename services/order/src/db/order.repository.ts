import type { QueryCreator } from 'kysely';
import { paginate, sql, type Kysely, type PageQuery, type Selectable } from '@shop/db';
import type { Order, OrderStatus } from '../domain/order.js';
import type { OrderDatabase } from './schema.js';

type Db = Kysely<OrderDatabase>;
type OrderRow = Selectable<OrderDatabase['orders']>;

const toOrder = (row: OrderRow): Order => {
  const money = (amount: number) => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    orderNumber: row.order_number,
    customerId: row.customer_id,
    email: row.email,
    status: row.status,
    lineItems: row.line_items,
    subtotal: money(row.subtotal),
    shippingCost: money(row.shipping_cost),
    tax: money(row.tax),
    total: money(row.total),
    shippingAddress: row.shipping_address,
    payment: row.payment,
    version: row.version,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    trackingNumber: row.tracking_number,
    carrier: row.carrier,
    shippedAt: row.shipped_at,
    deliveredAt: row.delivered_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
  };
};

/** The next number of the order number sequence. */
export async function nextOrderSequence(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('order_number_seq') AS n`.execute(db);
  return Number(rows[0]!.n);
}

/** Inserts a new order with its first status change, in one statement. */
export async function insertOrder(
  db: Db,
  order: Omit<Order, 'version' | 'confirmedAt' | 'trackingNumber' | 'carrier' | 'shippedAt' | 'deliveredAt' | 'cancelledAt' | 'cancelReason'>,
  first: Omit<StatusChange, 'from' | 'at'>,
): Promise<Order> {
  const inserted = db
    .insertInto('orders')
    .values({
      id: order.id,
      order_number: order.orderNumber,
      customer_id: order.customerId,
      email: order.email,
      status: order.status,
      line_items: JSON.stringify(order.lineItems),
      currency: order.total.currency,
      subtotal: order.subtotal.amount,
      shipping_cost: order.shippingCost.amount,
      tax: order.tax.amount,
      total: order.total.amount,
      shipping_address: JSON.stringify(order.shippingAddress),
      payment: JSON.stringify(order.payment),
      created_at: order.createdAt,
      updated_at: order.createdAt,
    })
    .returningAll();
  const row = await db
    .with('changed', () => inserted)
    .with('noted', (qb) => noteStatusChange(qb, { ...first, from: null, at: order.createdAt }))
    .selectFrom('changed')
    .selectAll()
    .executeTakeFirstOrThrow();
  return toOrder(row as OrderRow);
}

export async function findOrder(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Order | undefined> {
  let query = db.selectFrom('orders').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toOrder(row);
}

/** A customer's orders, newest first. */
export async function listCustomerOrders(db: Db, customerId: string, page: PageQuery) {
  const { items, total } = await paginate(
    db.selectFrom('orders').where('customer_id', '=', customerId),
    (base) => base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
    page,
  );
  return { items: items.map(toOrder), total };
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  by: string | null;
  reason: string | null;
}

export interface OrderChanges {
  status?: OrderStatus;
  payment?: Order['payment'];
  confirmedAt?: Date;
  shipment?: { trackingNumber: string; carrier: string; shippedAt: Date };
  deliveredAt?: Date;
  cancellation?: { cancelledAt: Date; reason: string };
}

/** Changes an order (its status, payment or fulfilment), bumping its version, and records a status change, in one statement. */
export async function updateOrder(db: Db, order: Order, changes: OrderChanges, at: Date, history?: Omit<StatusChange, 'at'>): Promise<Order> {
  const changed = db
    .updateTable('orders')
    .set((eb) => ({
      ...(changes.status && { status: changes.status }),
      ...(changes.payment && { payment: JSON.stringify(changes.payment) }),
      ...(changes.confirmedAt && { confirmed_at: changes.confirmedAt }),
      ...(changes.shipment && { tracking_number: changes.shipment.trackingNumber, carrier: changes.shipment.carrier, shipped_at: changes.shipment.shippedAt }),
      ...(changes.deliveredAt && { delivered_at: changes.deliveredAt }),
      ...(changes.cancellation && { cancelled_at: changes.cancellation.cancelledAt, cancel_reason: changes.cancellation.reason }),
      version: eb('version', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', order.id)
    .returningAll();
  if (!history) return toOrder(await changed.executeTakeFirstOrThrow());
  const row = await db
    .with('changed', () => changed)
    .with('noted', (qb) => noteStatusChange(qb, { ...history, at }))
    .selectFrom('changed')
    .selectAll()
    .executeTakeFirstOrThrow();
  return toOrder(row as OrderRow);
}

/**
 * The history entry of the order a `changed` CTE (an insert or update of orders, RETURNING *)
 * wrote, as a CTE of the same statement: the change and its entry go together or not at all.
 */
function noteStatusChange(qb: QueryCreator<OrderDatabase & { changed: OrderRow }>, change: StatusChange) {
  return qb
    .insertInto('order_status_history')
    .columns(['order_id', 'from_status', 'to_status', 'at', 'by', 'reason'])
    .expression((eb) =>
      eb
        .selectFrom('changed')
        .select([
          'changed.id',
          sql<string | null>`${change.from}::text`.as('from_status'),
          sql<string>`${change.to}::text`.as('to_status'),
          sql<Date>`${change.at}::timestamptz`.as('at'),
          sql<string | null>`${change.by}::uuid`.as('by'),
          sql<string | null>`${change.reason}::text`.as('reason'),
        ]),
    );
}

export async function findOrderByTrackingNumber(db: Db, trackingNumber: string, options: { forUpdate?: boolean } = {}): Promise<Order | undefined> {
  let query = db.selectFrom('orders').selectAll().where('tracking_number', '=', trackingNumber);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toOrder(row);
}

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  from?: Date;
  to?: Date;
  /** A prefix of the order number. */
  q?: string;
}

/** Every order matching the filter, newest first: each filter has an index behind it. */
export async function listOrders(db: Db, filter: OrderFilter, page: PageQuery) {
  let base = db.selectFrom('orders');
  if (filter.status) base = base.where('status', '=', filter.status);
  if (filter.customerId) base = base.where('customer_id', '=', filter.customerId);
  if (filter.from) base = base.where('created_at', '>=', filter.from);
  if (filter.to) base = base.where('created_at', '<', filter.to);
  if (filter.q) base = base.where('order_number', 'like', `${escapeLike(filter.q.toUpperCase())}%`);
  const { items, total } = await paginate(base, (b) => b.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'), page);
  return { items: items.map(toOrder), total };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** PENDING PayPal-style orders whose approval was not given (cancelled or expired), oldest first. */
export async function findAbandonedPayPalOrders(db: Db, limit: number): Promise<Order[]> {
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('status', '=', 'PENDING')
    .where(sql`payment->>'method'`, '=', 'paypal')
    .where(sql`payment->>'status'`, '=', 'failed')
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map(toOrder);
}

export async function statusHistoryOf(db: Db, orderId: string): Promise<StatusChange[]> {
  const rows = await db.selectFrom('order_status_history').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, at: r.at, by: r.by, reason: r.reason }));
}

export async function recordCarrierEvent(db: Db, event: { trackingNumber: string; status: string; orderId: string | null; outcome: OrderDatabase['carrier_events']['outcome'] }, at: Date): Promise<void> {
  await db.insertInto('carrier_events').values({ tracking_number: event.trackingNumber, status: event.status, order_id: event.orderId, outcome: event.outcome, received_at: at }).execute();
}

/**
 * Notes that a carrier reported a tracking number no order has; true only the first time the number
 * comes (a report of the same number at once waits for this one's transaction, then gets false).
 */
export async function noteUnmatchedTrackingNumber(db: Db, trackingNumber: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('unmatched_tracking_numbers')
    .values({ tracking_number: trackingNumber, first_reported_at: at })
    .onConflict((oc) => oc.column('tracking_number').doNothing())
    .returning('tracking_number')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The ids and shipping addresses of a customer's orders, locked: erasure rewrites them. */
export async function lockOrdersOfCustomer(db: Db, customerId: string) {
  return db.selectFrom('orders').select(['id', 'shipping_address']).where('customer_id', '=', customerId).forUpdate().execute();
}

/**
 * Erasure (customer.data-erased): the order goes by the anonymous id instead of the customer's, its
 * e-mail is blanked and its shipping address replaced; lines, totals, payment and fulfilment stay,
 * and so does its version (no event tells of it). The status changes the customer made (placing,
 * cancelling) name the anonymous id too.
 */
export async function anonymizeOrder(db: Db, orderId: string, change: { customerId: string; anonymizedId: string; shippingAddress: Order['shippingAddress'] }, at: Date): Promise<void> {
  await db
    .updateTable('orders')
    .set({ customer_id: change.anonymizedId, email: '', shipping_address: JSON.stringify(change.shippingAddress), updated_at: at })
    .where('id', '=', orderId)
    .execute();
  await db.updateTable('order_status_history').set({ by: change.anonymizedId }).where('order_id', '=', orderId).where('by', '=', change.customerId).execute();
}
