import type { StockStatus } from '@shop/contracts';
import type { Kysely } from '@shop/db';
import type { CatalogDatabase } from './schema.js';

type Db = Kysely<CatalogDatabase>;

export interface VariantStock {
  variantId: string;
  productId: string;
  available: number;
  lowStockThreshold: number;
  stockStatus: StockStatus;
  stockVersion: number;
}

/**
 * Locks the product a variant belongs to, so stock changes of one product's variants apply one
 * after another and each recomputes the product's status from the others' committed rows.
 * Undefined when the catalog has no such variant.
 */
export async function lockProductOfVariant(db: Db, variantId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('products')
    .select('id')
    .where('id', '=', (eb) => eb.selectFrom('variants').select('product_id').where('id', '=', variantId))
    .forUpdate()
    .executeTakeFirst();
  return row?.id;
}

/** Stores the stock level unless a newer one (higher stock version) is already there; true when stored. */
export async function upsertVariantStock(db: Db, stock: VariantStock, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('variant_stock')
    .values({
      variant_id: stock.variantId,
      product_id: stock.productId,
      available: stock.available,
      low_stock_threshold: stock.lowStockThreshold,
      stock_status: stock.stockStatus,
      stock_version: stock.stockVersion,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('variant_id')
        .doUpdateSet((eb) => ({
          available: eb.ref('excluded.available'),
          low_stock_threshold: eb.ref('excluded.low_stock_threshold'),
          stock_status: eb.ref('excluded.stock_status'),
          stock_version: eb.ref('excluded.stock_version'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('variant_stock.stock_version', '<', (eb) => eb.ref('excluded.stock_version')),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The stock status of each of the product's variants; undefined for one not reported yet. */
export async function variantStockStatuses(db: Db, productId: string): Promise<Array<StockStatus | undefined>> {
  const rows = await db
    .selectFrom('variants as v')
    .leftJoin('variant_stock as s', 's.variant_id', 'v.id')
    .select('s.stock_status')
    .where('v.product_id', '=', productId)
    .execute();
  return rows.map((r) => r.stock_status ?? undefined);
}

export async function setProductStockStatus(db: Db, productId: string, stockStatus: StockStatus): Promise<void> {
  await db.updateTable('products').set({ stock_status: stockStatus }).where('id', '=', productId).where('stock_status', '<>', stockStatus).execute();
}
