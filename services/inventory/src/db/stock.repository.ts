import { sql, type Kysely, type Selectable } from '@shop/db';
import type { AlertState, StockItem, StockLevel, StockOrigin } from '../domain/stock.js';
import type { InventoryDatabase } from './schema.js';

type Db = Kysely<InventoryDatabase>;
type StockRow = Selectable<InventoryDatabase['stock_items']>;

function toStockItem(row: StockRow): StockItem {
  return {
    id: row.id,
    variantId: row.variant_id,
    productId: row.product_id,
    productName: row.product_name,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    lowStockThreshold: row.low_stock_threshold,
    version: row.version,
    lowStockAlerted: row.low_stock_alerted,
    outOfStockAlerted: row.out_of_stock_alerted,
    origin: row.origin,
  };
}

export async function findStockByVariant(db: Db, variantId: string, options: { forUpdate?: boolean } = {}): Promise<StockItem | undefined> {
  let query = db.selectFrom('stock_items').selectAll().where('variant_id', '=', variantId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toStockItem(row);
}

/**
 * Locks the stock rows of these variants in variant id order (rows are locked as the sorted scan
 * returns them), so transactions locking several rows always take them in the same order and
 * never deadlock. Unknown variants are simply absent from the result.
 */
export async function lockStockByVariants(db: Db, variantIds: string[]): Promise<Map<string, StockItem>> {
  if (variantIds.length === 0) return new Map();
  const rows = await db.selectFrom('stock_items').selectAll().where('variant_id', 'in', variantIds).orderBy('variant_id').forUpdate().execute();
  return new Map(rows.map((row) => [row.variant_id, toStockItem(row)]));
}

/** Available stock of many variants in one query (unknown variants are left out). */
export async function findStockLevels(db: Db, variantIds: string[]): Promise<StockItem[]> {
  if (variantIds.length === 0) return [];
  const rows = await db.selectFrom('stock_items').selectAll().where('variant_id', 'in', variantIds).execute();
  return rows.map(toStockItem);
}

/** A variant and its SKU, as the catalog's events and feed name them. */
export interface VariantSku {
  variantId: string;
  sku: string;
}

export interface NewStockItem {
  id: string;
  variantId: string;
  productId: string;
  productName: string | null;
  productNameAt: Date;
  sku: string;
  onHand: number;
  lowStockThreshold: number;
  lowStockAlerted: boolean;
  outOfStockAlerted: boolean;
  origin: StockOrigin;
}

/** Inserts the rows whose variant has none yet and returns only those; existing rows stay as they are. */
export async function insertStockItems(db: Db, items: NewStockItem[]): Promise<StockItem[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insertInto('stock_items')
    .values(
      items.map((item) => ({
        id: item.id,
        variant_id: item.variantId,
        product_id: item.productId,
        product_name: item.productName,
        product_name_at: item.productNameAt,
        sku: item.sku,
        on_hand: item.onHand,
        low_stock_threshold: item.lowStockThreshold,
        low_stock_alerted: item.lowStockAlerted,
        out_of_stock_alerted: item.outOfStockAlerted,
        origin: item.origin,
      })),
    )
    .onConflict((oc) => oc.column('variant_id').doNothing())
    .returningAll()
    .execute();
  return rows.map(toStockItem);
}

/** Writes a new level and alert state of a row the caller has locked; every change bumps the version. */
export async function saveStockLevel(db: Db, id: string, level: StockLevel & AlertState, at: Date): Promise<StockItem> {
  const row = await db
    .updateTable('stock_items')
    .set((eb) => ({
      on_hand: level.onHand,
      reserved: level.reserved,
      low_stock_threshold: level.lowStockThreshold,
      low_stock_alerted: level.lowStockAlerted,
      out_of_stock_alerted: level.outOfStockAlerted,
      version: eb('version', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toStockItem(row);
}

/**
 * A rename reaches every variant of the product, unless a later rename got there first.
 * `matched`: the product's stock rows; `updated`: those that took the new name.
 */
export async function renameProduct(db: Db, productId: string, name: string, at: Date): Promise<{ matched: number; updated: number }> {
  const rows = await db
    .updateTable('stock_items')
    .set((eb) => ({
      product_name: eb.case().when('product_name_at', '<', at).then(name).else(eb.ref('product_name')).end(),
      product_name_at: eb.case().when('product_name_at', '<', at).then(at).else(eb.ref('product_name_at')).end(),
    }))
    .where('product_id', '=', productId)
    .returning(['product_name_at'])
    .execute();
  return { matched: rows.length, updated: rows.filter((r) => r.product_name_at.getTime() === at.getTime()).length };
}

/**
 * The SKUs of a product update at `at` reach the rows of those variants, like its name does: unless
 * a later rename got there first. Returns how many rows changed.
 */
export async function refreshSkus(db: Db, variants: VariantSku[], at: Date): Promise<number> {
  if (variants.length === 0) return 0;
  const result = await db
    .updateTable('stock_items')
    .from(variantSkus(variants))
    .set((eb) => ({ sku: eb.ref('v.sku') }))
    .whereRef('stock_items.variant_id', '=', 'v.variant_id')
    .where((eb) => eb('stock_items.sku', 'is distinct from', eb.ref('v.sku')))
    .where('stock_items.product_name_at', '<=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Rows of these variants that have no SKU (opened before rows kept one) take theirs; others stay as they are. Returns how many did. */
export async function fillInMissingSkus(db: Db, variants: VariantSku[]): Promise<number> {
  if (variants.length === 0) return 0;
  const result = await db
    .updateTable('stock_items')
    .from(variantSkus(variants))
    .set((eb) => ({ sku: eb.ref('v.sku') }))
    .whereRef('stock_items.variant_id', '=', 'v.variant_id')
    .where('stock_items.sku', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The pairs as a table `v (variant_id, sku)` to join an update on, in one statement however many there are. */
function variantSkus(variants: VariantSku[]) {
  const variantIds = variants.map((v) => v.variantId);
  const skus = variants.map((v) => v.sku);
  return sql<{ variant_id: string; sku: string }>`unnest(${variantIds}::uuid[], ${skus}::text[])`.as<'v'>(sql`v(variant_id, sku)`);
}

/** The name a product's stock rows carry (the newest of them) and since when; undefined when it has no rows. */
export async function findProductName(db: Db, productId: string): Promise<{ name: string | null; at: Date } | undefined> {
  const row = await db
    .selectFrom('stock_items')
    .select(['product_name', 'product_name_at'])
    .where('product_id', '=', productId)
    .orderBy('product_name_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { name: row.product_name, at: row.product_name_at };
}

/** A page of stock rows in variant id order (the unique index) after `after`: the internal stock feed. */
export async function listStockAfter(db: Db, page: { after?: string; limit: number }): Promise<StockItem[]> {
  let query = db.selectFrom('stock_items').selectAll().orderBy('variant_id').limit(page.limit);
  if (page.after !== undefined) query = query.where('variant_id', '>', page.after);
  return (await query.execute()).map(toStockItem);
}
