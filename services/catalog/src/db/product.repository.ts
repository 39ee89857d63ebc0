import type { Money, StockStatus } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { isUniqueViolation, paginate, sql, type Kysely, type Selectable } from '@shop/db';
import type { Product, ProductStatus, Variant } from '../domain/product.js';
import { variantStockStatus } from '../domain/stock-status.js';
import type { CatalogDatabase } from './schema.js';

type Db = Kysely<CatalogDatabase>;
type ProductRow = Selectable<CatalogDatabase['products']>;
type VariantRow = Selectable<CatalogDatabase['variants']>;

function toProduct(row: Omit<ProductRow, 'search_vector'>, variants: VariantRow[]): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: { amount: row.price_amount, currency: row.price_currency },
    categoryId: row.category_id,
    status: row.status,
    stockStatus: row.stock_status,
    version: row.version,
    variants: variants.map((v) => toVariant(v, row.price_currency)),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

function toVariant(row: Pick<VariantRow, 'id' | 'sku' | 'name' | 'price_amount'>, currency: string): Variant {
  return { id: row.id, sku: row.sku, name: row.name, price: row.price_amount === null ? null : { amount: row.price_amount, currency } };
}

// Every column but the generated search vector, which no caller needs.
const productColumns = [
  'id',
  'name',
  'description',
  'price_amount',
  'price_currency',
  'category_id',
  'status',
  'stock_status',
  'version',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted_by',
] as const;

async function variantsOf(db: Db, productId: string): Promise<VariantRow[]> {
  return db.selectFrom('variants').selectAll().where('product_id', '=', productId).orderBy('position').execute();
}

/** The variants of many products in one query (the (product_id, position) index), each product's in position order. */
async function variantsByProduct(db: Db, productIds: string[]): Promise<Map<string, VariantRow[]>> {
  const byProduct = new Map<string, VariantRow[]>();
  if (productIds.length === 0) return byProduct;
  const rows = await db.selectFrom('variants').selectAll().where('product_id', 'in', productIds).orderBy('product_id').orderBy('position').execute();
  for (const row of rows) {
    const variants = byProduct.get(row.product_id);
    if (variants) variants.push(row);
    else byProduct.set(row.product_id, [row]);
  }
  return byProduct;
}

/** Any product, deleted ones included (admins and order history still see them). */
export async function findProductById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Product | undefined> {
  let query = db.selectFrom('products').select(productColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toProduct(row, await variantsOf(db, id));
}

/** Those of these SKUs (any letter case) that a variant already has, through the unique index. */
export async function takenSkus(db: Db, skus: string[]): Promise<string[]> {
  if (skus.length === 0) return [];
  const rows = await db
    .selectFrom('variants')
    .select('sku')
    .where((eb) => eb(eb.fn('lower', ['sku']), 'in', skus.map((s) => s.toLowerCase())))
    .execute();
  return rows.map((r) => r.sku);
}

/** A product as created: what the database fills in itself (stock status, update and delete marks) is left out. */
export type NewProduct = Omit<Product, 'stockStatus' | 'version' | 'updatedBy' | 'updatedAt' | 'deletedAt'>;

export async function insertProduct(db: Db, product: NewProduct): Promise<Product> {
  try {
    const row = await db
      .insertInto('products')
      .values({
        id: product.id,
        name: product.name,
        description: product.description,
        price_amount: product.price.amount,
        price_currency: product.price.currency,
        category_id: product.categoryId,
        status: product.status,
        created_by: product.createdBy,
        updated_by: product.createdBy,
        created_at: product.createdAt,
        updated_at: product.createdAt,
        deleted_at: null,
        deleted_by: null,
      })
      .returning(productColumns)
      .executeTakeFirstOrThrow();
    const variants = await db
      .insertInto('variants')
      .values(
        product.variants.map((v, position) => ({
          id: v.id,
          product_id: product.id,
          position,
          sku: v.sku,
          name: v.name,
          price_amount: v.price?.amount ?? null,
        })),
      )
      .returningAll()
      .execute();
    return toProduct(row, variants);
  } catch (err) {
    // The unique index decides when two products claim one SKU at once.
    if (isUniqueViolation(err, 'variants_sku_key')) throw new AppError('SKU_TAKEN', 'a SKU is already in use');
    throw err;
  }
}

export interface ProductChanges {
  name?: string;
  description?: string;
  price?: Money;
  status?: ProductStatus;
  deletedAt?: Date;
  deletedBy?: string;
  updatedBy: string | null;
  updatedAt: Date;
}

export async function updateProduct(db: Db, id: string, changes: ProductChanges): Promise<Product> {
  const row = await db
    .updateTable('products')
    .set((eb) => ({
      version: eb('version', '+', 1),
      updated_by: changes.updatedBy,
      updated_at: changes.updatedAt,
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.price !== undefined && { price_amount: changes.price.amount, price_currency: changes.price.currency }),
      ...(changes.status !== undefined && { status: changes.status }),
      ...(changes.deletedAt !== undefined && { deleted_at: changes.deletedAt }),
      ...(changes.deletedBy !== undefined && { deleted_by: changes.deletedBy }),
    }))
    .where('id', '=', id)
    .returning(productColumns)
    .executeTakeFirstOrThrow();
  return toProduct(row, await variantsOf(db, id));
}

/** A product as a shopper sees it: with its category and each variant's stock status. */
export interface ProductDetails extends Product {
  category: { id: string; name: string };
  variants: Array<Variant & { stockStatus: StockStatus }>;
}

/** An active, not deleted product, or undefined. Product and variants are read in parallel. */
export async function findListedProduct(db: Db, id: string): Promise<ProductDetails | undefined> {
  const [row, variants] = await Promise.all([
    db
      .selectFrom('products as p')
      .innerJoin('categories as c', 'c.id', 'p.category_id')
      .select(productColumns.map((c) => `p.${c}` as const))
      .select('c.name as category_name')
      .where('p.id', '=', id)
      .where('p.status', '=', sql.lit<ProductStatus>('active'))
      .where('p.deleted_at', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('variants as v')
      .leftJoin('variant_stock as s', 's.variant_id', 'v.id')
      .select(['v.id', 'v.sku', 'v.name', 'v.price_amount', 's.stock_status'])
      .where('v.product_id', '=', id)
      .orderBy('v.position')
      .execute(),
  ]);
  if (!row) return undefined;
  return {
    ...toProduct(row, []),
    category: { id: row.category_id, name: row.category_name },
    variants: variants.map((v) => ({ ...toVariant(v, row.price_currency), stockStatus: variantStockStatus(v.stock_status ?? undefined) })),
  };
}

export type ProductSort = 'price' | '-price' | 'name' | '-createdAt';

export interface BrowseQuery {
  /** A category and its sub-categories. */
  categoryIds?: string[];
  q?: string;
  minPrice?: number;
  maxPrice?: number;
  sort: ProductSort;
  page: number;
  pageSize: number;
}

/**
 * The page and count queries behind GET /products. Both carry the literal predicate of the partial
 * indexes (status = 'active' AND deleted_at IS NULL), so the planner can always use them, and the
 * page is ordered by one of those indexes with the id as tie-breaker, so pages are stable.
 */
export function browseQueries(db: Db, query: BrowseQuery) {
  let listed = db
    .selectFrom('products')
    .where('status', '=', sql.lit<ProductStatus>('active'))
    .where('deleted_at', 'is', null);
  if (query.categoryIds) listed = listed.where('category_id', 'in', query.categoryIds);
  if (query.q) listed = listed.where(sql<boolean>`search_vector @@ websearch_to_tsquery('english', ${query.q})`);
  if (query.minPrice !== undefined) listed = listed.where('price_amount', '>=', query.minPrice);
  if (query.maxPrice !== undefined) listed = listed.where('price_amount', '<=', query.maxPrice);

  let page = listed.select(['id', 'name', 'price_amount', 'price_currency', 'category_id', 'stock_status', 'created_at']);
  switch (query.sort) {
    case 'price':
      page = page.orderBy('price_amount').orderBy('id');
      break;
    case '-price':
      page = page.orderBy('price_amount', 'desc').orderBy('id', 'desc');
      break;
    case 'name':
      page = page.orderBy(sql`lower(name)`).orderBy('id');
      break;
    case '-createdAt':
      page = page.orderBy('created_at', 'desc').orderBy('id');
      break;
  }
  return {
    page: page.limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    count: listed.select((eb) => eb.fn.countAll<number>().as('total')),
  };
}

export interface ListedProduct {
  id: string;
  name: string;
  price: Money;
  categoryId: string;
  stockStatus: StockStatus;
  createdAt: Date;
}

export async function browseProducts(db: Db, query: BrowseQuery): Promise<{ items: ListedProduct[]; total: number }> {
  const { page, count } = browseQueries(db, query);
  const [rows, counted] = await Promise.all([page.execute(), count.executeTakeFirstOrThrow()]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      price: { amount: r.price_amount, currency: r.price_currency },
      categoryId: r.category_id,
      stockStatus: r.stock_status,
      createdAt: r.created_at,
    })),
    total: Number(counted.total),
  };
}

export interface AdminProductQuery {
  /** A status, or `deleted` for soft-deleted products; none: every product not deleted. */
  status?: ProductStatus | 'deleted';
  page: number;
  pageSize: number;
}

/** Admin list, newest first; variants come in one more query for the whole page. */
export async function listProducts(db: Db, query: AdminProductQuery): Promise<{ items: Product[]; total: number }> {
  let base = db.selectFrom('products');
  if (query.status === 'deleted') base = base.where('deleted_at', 'is not', null);
  else {
    base = base.where('deleted_at', 'is', null);
    if (query.status) base = base.where('status', '=', query.status);
  }
  const { items: rows, total } = await paginate(
    base,
    (b) => (query.status === 'deleted' ? b.select(productColumns).orderBy('deleted_at', 'desc').orderBy('id') : b.select(productColumns).orderBy('created_at', 'desc').orderBy('id')),
    query,
  );
  const variants = await variantsByProduct(db, rows.map((r) => r.id));
  return { items: rows.map((r) => toProduct(r, variants.get(r.id) ?? [])), total };
}

export interface ProductFeedPage {
  /** The id the page starts after (exclusive); none: from the first product. */
  after?: string;
  limit: number;
}

/**
 * A page of every product, deleted ones included, in id order (the primary key) after `after`,
 * with their variants from one more query.
 */
export async function listProductsAfter(db: Db, page: ProductFeedPage): Promise<Product[]> {
  let query = db.selectFrom('products').select(productColumns).orderBy('id').limit(page.limit);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.execute();
  const variants = await variantsByProduct(db, rows.map((r) => r.id));
  return rows.map((r) => toProduct(r, variants.get(r.id) ?? []));
}
