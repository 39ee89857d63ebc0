import type { Money } from '@shop/contracts';
import { paginate, type Kysely } from '@shop/db';
import type { CatalogDatabase } from './schema.js';

type Db = Kysely<CatalogDatabase>;

export interface PriceChange {
  productId: string;
  changedBy: string;
  changedAt: Date;
  oldPrice: Money;
  newPrice: Money;
}

export async function insertPriceChange(db: Db, change: PriceChange): Promise<void> {
  await db
    .insertInto('price_audit')
    .values({
      product_id: change.productId,
      changed_by: change.changedBy,
      changed_at: change.changedAt,
      old_amount: change.oldPrice.amount,
      old_currency: change.oldPrice.currency,
      new_amount: change.newPrice.amount,
      new_currency: change.newPrice.currency,
    })
    .execute();
}

/** A product's price changes, newest first (insertion order breaks ties within one instant). */
export async function listPriceChanges(db: Db, productId: string, page: { page: number; pageSize: number }): Promise<{ items: PriceChange[]; total: number }> {
  const base = db.selectFrom('price_audit').where('product_id', '=', productId);
  const { items, total } = await paginate(base, (b) => b.selectAll().orderBy('changed_at', 'desc').orderBy('id', 'desc'), page);
  return {
    items: items.map((r) => ({
      productId: r.product_id,
      changedBy: r.changed_by,
      changedAt: r.changed_at,
      oldPrice: { amount: r.old_amount, currency: r.old_currency },
      newPrice: { amount: r.new_amount, currency: r.new_currency },
    })),
    total,
  };
}
