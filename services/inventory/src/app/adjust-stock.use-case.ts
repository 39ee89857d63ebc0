import { inventoryAdjusted } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { adjust, stockAggregate } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { applyStockChange, lockStockItem, stockLevelFields } from './stock-changes.js';
import { toStockView } from './stock-view.js';

export interface AdjustStockInput {
  variantId: string;
  /** Signed, never 0: +3 found in the back room, -2 damaged. */
  adjustment: number;
  reason: string;
}

/** CMD-INV-002 (EVT-INV-002): on hand moves by a delta; the result must still cover what orders hold. */
export async function adjustStock(deps: InventoryDeps, principal: Principal, input: AdjustStockInput) {
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const item = await lockStockItem(tx, input.variantId);
    const next = adjust(item, input.adjustment);
    const updated = await applyStockChange(deps, tx, item, next, { action: 'adjusted', at, reason: input.reason, userId: principal.customerId });
    await deps.outbox.add(tx, inventoryAdjusted, {
      inventoryId: item.id,
      variantId: item.variantId,
      productId: item.productId,
      previous: item.onHand,
      adjustment: input.adjustment,
      new: updated.onHand,
      reason: input.reason,
      userId: principal.customerId,
      ...stockLevelFields(updated),
      adjustedAt: at.toISOString(),
    }, stockAggregate(updated));
    deps.logger.info('stock adjusted', { variantId: item.variantId, adjustment: input.adjustment, new: updated.onHand, userId: principal.customerId });
    return toStockView(updated);
  });
}
