import { assertFound } from '@shop/platform';
import { listAuditEntries } from '../db/audit.repository.js';
import { findStockByVariant } from '../db/stock.repository.js';
import type { InventoryDeps } from './deps.js';

/**
 * Admin: who changed a variant's stock, when, why and by how much, newest first. Reservations,
 * releases and deductions are in it too, with their orderId and no user.
 */
export async function getStockAudit(deps: InventoryDeps, variantId: string, page: { page: number; pageSize: number }) {
  assertFound(await findStockByVariant(deps.db, variantId), 'PRODUCT_NOT_FOUND', 'no stock is kept for this variant', { variantId });
  const { items, total } = await listAuditEntries(deps.db, variantId, page);
  return {
    items: items.map((entry) => ({
      action: entry.action,
      previous: entry.previous,
      new: entry.new,
      delta: entry.delta,
      reason: entry.reason,
      userId: entry.user_id,
      orderId: entry.order_id,
      at: entry.at.toISOString(),
    })),
    page: page.page,
    pageSize: page.pageSize,
    total,
  };
}
