import type { Kysely, Selectable } from '@shop/db';
import type { CartDatabase } from './schema.js';

type Db = Kysely<CartDatabase>;
type CartRow = Selectable<CartDatabase['carts']>;

export interface Cart {
  id: string;
  customerId: string | null;
  version: number;
  updatedAt: Date;
}

export interface CartLine {
  id: string;
  productId: string;
  variantId: string;
  quantity: number;
  changedVersion: number;
}

const toCart = (row: CartRow): Cart => ({ id: row.id, customerId: row.customer_id, version: row.version, updatedAt: row.updated_at });

/** A customer's cart; created (once, whatever races) when they have none yet. Read first: almost every customer has one. */
export async function ensureCustomerCart(db: Db, id: string, customerId: string): Promise<Cart> {
  const existing = await findCartByCustomer(db, customerId);
  if (existing) return existing;
  await db.insertInto('carts').values({ id, customer_id: customerId, token_hash: null }).onConflict((oc) => oc.column('customer_id').doNothing()).execute();
  return toCart(await db.selectFrom('carts').selectAll().where('customer_id', '=', customerId).executeTakeFirstOrThrow());
}

export async function insertGuestCart(db: Db, id: string, tokenHash: Buffer): Promise<Cart> {
  return toCart(await db.insertInto('carts').values({ id, customer_id: null, token_hash: tokenHash }).returningAll().executeTakeFirstOrThrow());
}

export async function findCartByCustomer(db: Db, customerId: string): Promise<Cart | undefined> {
  const row = await db.selectFrom('carts').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
  return row && toCart(row);
}

export async function findGuestCartByToken(db: Db, tokenHash: Buffer): Promise<Cart | undefined> {
  const row = await db.selectFrom('carts').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row && toCart(row);
}

/** The cart, locked until the transaction ends: its changes take turns. */
export async function lockCart(db: Db, cartId: string): Promise<Cart | undefined> {
  const row = await db.selectFrom('carts').selectAll().where('id', '=', cartId).forUpdate().executeTakeFirst();
  return row && toCart(row);
}

/** A guest cart by id, locked (a merge takes it). */
export async function lockGuestCart(db: Db, cartId: string): Promise<Cart | undefined> {
  const row = await db.selectFrom('carts').selectAll().where('id', '=', cartId).where('customer_id', 'is', null).forUpdate().executeTakeFirst();
  return row && toCart(row);
}

/** Every change of a cart bumps its version and marks it active. */
export async function touchCart(db: Db, cartId: string, at: Date): Promise<Cart> {
  const row = await db
    .updateTable('carts')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', cartId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCart(row);
}

export async function deleteCart(db: Db, cartId: string): Promise<void> {
  await db.deleteFrom('carts').where('id', '=', cartId).execute();
}

/** Deletes a customer's cart with its lines, removed lines and clearings; how many carts went (0 or 1). */
export async function deleteCustomerCart(db: Db, customerId: string): Promise<number> {
  const result = await db.deleteFrom('carts').where('customer_id', '=', customerId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

type LineRow = Selectable<CartDatabase['cart_items']>;

const toLine = (r: LineRow): CartLine => ({ id: r.id, productId: r.product_id, variantId: r.variant_id, quantity: r.quantity, changedVersion: r.changed_version });

export async function listLines(db: Db, cartId: string): Promise<CartLine[]> {
  const rows = await db.selectFrom('cart_items').selectAll().where('cart_id', '=', cartId).orderBy('added_at').orderBy('id').execute();
  return rows.map(toLine);
}

/** A line of this cart (a line of another cart is as unknown as none), by its primary key. */
export async function findLine(db: Db, cartId: string, itemId: string): Promise<CartLine | undefined> {
  const row = await db.selectFrom('cart_items').selectAll().where('id', '=', itemId.toLowerCase()).where('cart_id', '=', cartId).executeTakeFirst();
  return row && toLine(row);
}

/** The cart's line of a variant, through the unique index on (cart_id, variant_id). */
export async function findLineOfVariant(db: Db, cartId: string, variantId: string): Promise<CartLine | undefined> {
  const row = await db.selectFrom('cart_items').selectAll().where('cart_id', '=', cartId).where('variant_id', '=', variantId).executeTakeFirst();
  return row && toLine(row);
}

export async function insertLine(db: Db, cartId: string, line: Omit<CartLine, 'changedVersion'>, version: number, at: Date): Promise<void> {
  await db
    .insertInto('cart_items')
    .values({ id: line.id, cart_id: cartId, product_id: line.productId, variant_id: line.variantId, quantity: line.quantity, added_at: at, changed_version: version })
    .execute();
}

export async function setLineQuantity(db: Db, lineId: string, quantity: number, version: number): Promise<void> {
  await db.updateTable('cart_items').set({ quantity, changed_version: version }).where('id', '=', lineId).execute();
}

export async function deleteLines(db: Db, lineIds: string[]): Promise<void> {
  if (lineIds.length > 0) await db.deleteFrom('cart_items').where('id', 'in', lineIds).execute();
}

/** Keeps a removed line for the undo window (under its own id, so restoring brings it back as it was). */
export async function keepRemovedLine(db: Db, cartId: string, line: CartLine, at: Date): Promise<void> {
  await db
    .insertInto('removed_cart_items')
    .values({ id: line.id, cart_id: cartId, product_id: line.productId, variant_id: line.variantId, quantity: line.quantity, removed_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ quantity: line.quantity, removed_at: at }))
    .execute();
}

export async function findRemovedLine(db: Db, cartId: string, itemId: string) {
  return db.selectFrom('removed_cart_items').selectAll().where('cart_id', '=', cartId).where('id', '=', itemId.toLowerCase()).executeTakeFirst();
}

export async function takeRemovedLine(db: Db, cartId: string, itemId: string) {
  return db.deleteFrom('removed_cart_items').where('cart_id', '=', cartId).where('id', '=', itemId.toLowerCase()).returningAll().executeTakeFirst();
}

/** Customer carts with lines, idle since before `idleBefore`, locked; those another sweep holds are skipped. */
export async function lockIdleCustomerCarts(db: Db, idleBefore: Date, limit: number): Promise<Cart[]> {
  const rows = await db
    .selectFrom('carts')
    .selectAll()
    .where('customer_id', 'is not', null)
    .where('updated_at', '<', idleBefore)
    .where((eb) => eb.exists(eb.selectFrom('cart_items').select('id').whereRef('cart_items.cart_id', '=', 'carts.id')))
    .orderBy('updated_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(toCart);
}

/** Deletes up to `limit` guest carts idle since before `idleBefore` (skipping any locked now); how many. */
export async function deleteIdleGuestCarts(db: Db, idleBefore: Date, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('carts')
    .where('id', 'in', (eb) =>
      eb.selectFrom('carts').select('id').where('customer_id', 'is', null).where('updated_at', '<', idleBefore).orderBy('updated_at').limit(limit).forUpdate().skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.length;
}

/** Forgets removed lines whose undo window is over. */
export async function pruneRemovedLines(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('removed_cart_items').where('removed_at', '<', before).execute();
}

/** Records that a cart was cleared for an order; false when it had been already. */
export async function claimOrderClearing(db: Db, orderId: string, cartId: string): Promise<boolean> {
  const row = await db.insertInto('cart_order_clearings').values({ order_id: orderId, cart_id: cartId }).onConflict((oc) => oc.column('order_id').doNothing()).returning('order_id').executeTakeFirst();
  return row !== undefined;
}

/** The cart ids whose lines hold this product. */
export async function cartLinesOfProduct(db: Db, productId: string) {
  return db.selectFrom('cart_items').innerJoin('carts', 'carts.id', 'cart_items.cart_id').select(['cart_items.id', 'cart_items.cart_id', 'cart_items.variant_id', 'carts.customer_id']).where('product_id', '=', productId).execute();
}
