import type { StockStatus } from '@shop/contracts';
import type { Kysely } from '@shop/db';
import type { CatalogProduct } from '../domain/cart.js';
import type { CartDatabase } from './schema.js';

type Db = Kysely<CartDatabase>;

/** A product's full state at a version: what product.created, a product.updated or the catalog's feed tell. */
export interface ProductSnapshot extends CatalogProduct {
  version: number;
}

/** The product with its variants in position order, in one query (a row per variant, one without any). */
export async function findProduct(db: Db, productId: string): Promise<CatalogProduct | undefined> {
  const rows = await db
    .selectFrom('catalog_products as p')
    .leftJoin('catalog_variants as v', 'v.product_id', 'p.product_id')
    .select(['p.product_id', 'p.name', 'p.status', 'p.deleted', 'v.variant_id', 'v.sku', 'v.name as variant_name', 'v.price_amount', 'v.price_currency'])
    .where('p.product_id', '=', productId)
    .orderBy('v.position')
    .execute();
  const product = rows[0];
  if (!product) return undefined;
  return {
    productId: product.product_id,
    name: product.name,
    status: product.status,
    deleted: product.deleted,
    variants: rows.flatMap((v) =>
      v.variant_id === null ? [] : [{ variantId: v.variant_id, sku: v.sku!, name: v.variant_name!, price: { amount: v.price_amount!, currency: v.price_currency! } }],
    ),
  };
}

/** Whether the read model knows the product at all (an event about it may come before its creation). */
export async function knowsProduct(db: Db, productId: string): Promise<boolean> {
  return (await db.selectFrom('catalog_products').select('product_id').where('product_id', '=', productId).executeTakeFirst()) !== undefined;
}

/** Stores a product's state unless a newer one is stored already; true when stored. */
export async function saveProductSnapshot(db: Db, snapshot: ProductSnapshot): Promise<boolean> {
  const stored = await db
    .insertInto('catalog_products')
    .values({ product_id: snapshot.productId, name: snapshot.name, status: snapshot.status, deleted: snapshot.deleted, version: snapshot.version })
    .onConflict((oc) =>
      oc
        .column('product_id')
        .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), status: eb.ref('excluded.status'), deleted: eb.ref('excluded.deleted'), version: eb.ref('excluded.version') }))
        .where('catalog_products.version', '<', (eb) => eb.ref('excluded.version')),
    )
    .returning('product_id')
    .executeTakeFirst();
  if (!stored) return false;
  await replaceVariants(db, snapshot.productId, snapshot.variants);
  return true;
}

/** A product's new name and variants at a version (its status unchanged), unless a newer state is stored; true when stored. */
export async function saveProductUpdate(db: Db, update: { productId: string; name: string; variants: ProductSnapshot['variants'] }, version: number): Promise<boolean> {
  const stored = await db
    .updateTable('catalog_products')
    .set({ name: update.name, version })
    .where('product_id', '=', update.productId)
    .where('version', '<', version)
    .returning('product_id')
    .executeTakeFirst();
  if (!stored) return false;
  await replaceVariants(db, update.productId, update.variants);
  return true;
}

async function replaceVariants(db: Db, productId: string, variants: ProductSnapshot['variants']): Promise<void> {
  await db.deleteFrom('catalog_variants').where('product_id', '=', productId).execute();
  if (variants.length === 0) return;
  await db
    .insertInto('catalog_variants')
    .values(
      variants.map((v, position) => ({
        variant_id: v.variantId,
        product_id: productId,
        sku: v.sku,
        name: v.name,
        price_amount: v.price.amount,
        price_currency: v.price.currency,
        position,
      })),
    )
    .execute();
}

/** A status change (activated, deactivated, deleted) at a version, unless a newer state is stored. */
export async function saveProductStatus(db: Db, productId: string, change: { status?: 'active' | 'inactive'; deleted?: boolean }, version: number): Promise<boolean> {
  const result = await db
    .updateTable('catalog_products')
    .set({ ...(change.status && { status: change.status }), ...(change.deleted !== undefined && { deleted: change.deleted }), version })
    .where('product_id', '=', productId)
    .where('version', '<', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Stores a variant's stock level unless a newer one is stored already. */
export async function saveStockLevel(db: Db, level: { variantId: string; available: number; stockStatus: StockStatus; stockVersion: number }): Promise<void> {
  await db
    .insertInto('variant_stock')
    .values({ variant_id: level.variantId, available: level.available, stock_status: level.stockStatus, stock_version: level.stockVersion })
    .onConflict((oc) =>
      oc
        .column('variant_id')
        .doUpdateSet((eb) => ({ available: eb.ref('excluded.available'), stock_status: eb.ref('excluded.stock_status'), stock_version: eb.ref('excluded.stock_version') }))
        .where('variant_stock.stock_version', '<', (eb) => eb.ref('excluded.stock_version')),
    )
    .execute();
}

/** A cart's lines with what the read models know of them, in one query: what every cart answer shows. */
export async function pricedLines(db: Db, cartId: string) {
  return db
    .selectFrom('cart_items as i')
    .leftJoin('catalog_variants as v', 'v.variant_id', 'i.variant_id')
    .leftJoin('catalog_products as p', 'p.product_id', 'i.product_id')
    .leftJoin('variant_stock as s', 's.variant_id', 'i.variant_id')
    .select([
      'i.id',
      'i.product_id',
      'i.variant_id',
      'i.quantity',
      'i.changed_version',
      'p.name as product_name',
      'p.status',
      'p.deleted',
      'v.name as variant_name',
      'v.sku',
      'v.price_amount',
      'v.price_currency',
      's.stock_status',
    ])
    .where('i.cart_id', '=', cartId)
    .orderBy('i.added_at')
    .orderBy('i.id')
    .execute();
}
