import { paginate, type Kysely, type Selectable } from '@shop/db';
import type { InventoryDatabase, StockAction } from './schema.js';

type Db = Kysely<InventoryDatabase>;
type AuditRow = Selectable<InventoryDatabase['stock_audit']>;

export interface AuditEntry {
  variantId: string;
  action: StockAction;
  previous: number;
  new: number;
  delta: number;
  reason: string | null;
  userId: string | null;
  orderId: string | null;
}

export async function insertAuditEntry(db: Db, entry: AuditEntry, at: Date): Promise<void> {
  await db
    .insertInto('stock_audit')
    .values({
      variant_id: entry.variantId,
      action: entry.action,
      previous: entry.previous,
      new: entry.new,
      delta: entry.delta,
      reason: entry.reason,
      user_id: entry.userId,
      order_id: entry.orderId,
      at,
    })
    .execute();
}

/** One variant's audit trail, newest first: entries are written under the row's lock, so id order is change order. */
export async function listAuditEntries(db: Db, variantId: string, page: { page: number; pageSize: number }): Promise<{ items: AuditRow[]; total: number }> {
  const base = db.selectFrom('stock_audit').where('variant_id', '=', variantId);
  return paginate(base, (b) => b.selectAll().orderBy('id', 'desc'), page);
}
