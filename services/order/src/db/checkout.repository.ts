import type { Kysely, Selectable } from '@shop/db';
import type { CheckoutStatus } from '../domain/checkout.js';
import type { OrderDatabase } from './schema.js';

type Db = Kysely<OrderDatabase>;
type CheckoutRow = Selectable<OrderDatabase['checkouts']>;

export interface Checkout<C = Record<string, unknown>> {
  id: string;
  customerId: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  status: CheckoutStatus;
  stepsStarted: string[];
  stepsDone: string[];
  stepsCompensated: string[];
  context: C;
  answer: { status: number; body: unknown } | null;
  owner: string;
  attempts: number;
  createdAt: Date;
}

const toCheckout = <C>(row: CheckoutRow): Checkout<C> => ({
  id: row.id,
  customerId: row.customer_id,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  status: row.status,
  stepsStarted: row.steps_started,
  stepsDone: row.steps_done,
  stepsCompensated: row.steps_compensated,
  context: row.context as C,
  answer: row.answer_status === null ? null : { status: row.answer_status, body: row.answer_body },
  owner: row.owner,
  attempts: row.attempts,
  createdAt: row.created_at,
});

export const ONE_RUNNING_PER_CUSTOMER = 'checkouts_one_running_key';
export const ONE_PER_IDEMPOTENCY_KEY = 'checkouts_idempotency_key';
export const ONE_ORDER_PER_CART_VERSION = 'checkouts_cart_version_key';

export interface NewCheckout {
  id: string;
  customerId: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  context: Record<string, unknown>;
  owner: string;
  leaseUntil: Date;
}

/** Starts a checkout; a unique violation names what refused it (one of the constants above). */
export async function insertCheckout<C>(db: Db, checkout: NewCheckout, at: Date): Promise<Checkout<C>> {
  const row = await db
    .insertInto('checkouts')
    .values({
      id: checkout.id,
      customer_id: checkout.customerId,
      idempotency_key: checkout.idempotencyKey,
      request_hash: checkout.requestHash,
      status: 'running',
      context: JSON.stringify(checkout.context),
      owner: checkout.owner,
      lease_until: checkout.leaseUntil,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCheckout<C>(row);
}

export async function findCheckoutByKey<C>(db: Db, customerId: string, idempotencyKey: string): Promise<Checkout<C> | undefined> {
  const row = await db.selectFrom('checkouts').selectAll().where('customer_id', '=', customerId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row && toCheckout<C>(row);
}

/** Whether an order was placed already from this version of the cart. */
export async function cartVersionOrdered(db: Db, cartId: string, version: number): Promise<boolean> {
  const row = await db
    .selectFrom('checkouts')
    .select('id')
    .where('cart_id', '=', cartId)
    .where('cart_version', '=', version)
    .where('status', 'in', ['completing', 'completed'])
    .executeTakeFirst();
  return row !== undefined;
}

/** The journal of a checkout as its runner holds it, written whole, with a renewed lease. */
export interface JournalEntry {
  stepsStarted: readonly string[];
  stepsDone: readonly string[];
  stepsCompensated: readonly string[];
  context: Record<string, unknown>;
  leaseUntil: Date;
  status?: CheckoutStatus;
  /** The cart version the order is placed from (with the status `completing`). */
  cart?: { cartId: string; version: number };
  lastError?: string | null;
  /** The answer the request gets, kept for its Idempotency-Key. */
  answer?: { status: number; body: unknown };
}

/**
 * Writes the journal (its step lists, the context, the lease, and a status, the cart or the answer
 * when given), as long as `owner` still runs the checkout. False when another runner took it over.
 * A unique violation of ONE_ORDER_PER_CART_VERSION means the cart version was ordered already.
 */
export async function writeJournal(db: Db, id: string, owner: string, entry: JournalEntry, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('checkouts')
    .set({
      steps_started: [...entry.stepsStarted],
      steps_done: [...entry.stepsDone],
      steps_compensated: [...entry.stepsCompensated],
      context: JSON.stringify(entry.context),
      lease_until: entry.leaseUntil,
      ...(entry.status && { status: entry.status }),
      ...(entry.cart && { cart_id: entry.cart.cartId, cart_version: entry.cart.version }),
      ...(entry.lastError !== undefined && { last_error: entry.lastError }),
      ...(entry.answer && { answer_status: entry.answer.status, answer_body: JSON.stringify(entry.answer.body) }),
      updated_at: at,
    })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Moves the checkout to a status, as long as `owner` still runs it. */
export async function setCheckoutStatus(
  db: Db,
  id: string,
  owner: string,
  changes: { status: CheckoutStatus; context?: Record<string, unknown>; leaseUntil?: Date; lastError?: string | null; cart?: { cartId: string; version: number } },
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('checkouts')
    .set({
      status: changes.status,
      ...(changes.context && { context: JSON.stringify(changes.context) }),
      ...(changes.leaseUntil && { lease_until: changes.leaseUntil }),
      ...(changes.lastError !== undefined && { last_error: changes.lastError }),
      ...(changes.cart && { cart_id: changes.cart.cartId, cart_version: changes.cart.version }),
      updated_at: at,
    })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Keeps the answer given, so the same Idempotency-Key gets it again. */
export async function saveAnswer(db: Db, id: string, answer: { status: number; body: unknown }): Promise<void> {
  await db.updateTable('checkouts').set({ answer_status: answer.status, answer_body: JSON.stringify(answer.body) }).where('id', '=', id).execute();
}

/** Frees the Idempotency-Key of a checkout that failed for a reason worth another try: the same key starts a new one. */
export async function releaseIdempotencyKey(db: Db, id: string): Promise<void> {
  await db.updateTable('checkouts').set({ idempotency_key: null }).where('id', '=', id).execute();
}

/**
 * Takes over up to `limit` unfinished checkouts whose lease ran out (their runner died or gave
 * them to later), each under a new owner and lease: two workers never take the same one.
 */
export async function claimUnfinished<C>(db: Db, owner: string, at: Date, leaseMs: number, limit: number): Promise<Checkout<C>[]> {
  const rows = await db
    .updateTable('checkouts')
    .set((eb) => ({ owner, lease_until: new Date(at.getTime() + leaseMs), attempts: eb('attempts', '+', 1), updated_at: at }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('checkouts')
        .select('id')
        .where('status', 'in', ['running', 'completing', 'compensating'])
        .where('lease_until', '<', at)
        .orderBy('lease_until')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map((row) => toCheckout<C>(row));
}

/** The ids, journals and kept answers of a customer's checkouts, locked: erasure rewrites them. */
export async function lockCheckoutsOfCustomer(db: Db, customerId: string) {
  const rows = await db.selectFrom('checkouts').select(['id', 'context', 'answer_body']).where('customer_id', '=', customerId).forUpdate().execute();
  return rows.map((row) => ({ id: row.id, context: row.context, answerBody: row.answer_body as unknown }));
}

/** Erasure: the checkout goes by the anonymous id, with its journal and answer cleaned and no request hash (it covered the address). */
export async function anonymizeCheckout(db: Db, id: string, change: { anonymizedId: string; context: unknown; answerBody: unknown }, at: Date): Promise<void> {
  await db
    .updateTable('checkouts')
    .set({
      customer_id: change.anonymizedId,
      request_hash: null,
      context: JSON.stringify(change.context),
      answer_body: change.answerBody === null ? null : JSON.stringify(change.answerBody),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}
