import { inventoryRestocked } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { restock, stockAggregate } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { applyStockChange, lockStockItem, stockLevelFields } from './stock-changes.js';
import { toStockView } from './stock-view.js';

export interface RestockInput {
  variantId: string;
  quantity: number;
  reason?: string;
}

/** Said in the audit and the event when the admin gives no reason. */
export const DEFAULT_RESTOCK_REASON = 'restock';

/**
 * SEQ-INV-001: get the inventory, add the delivered quantity, log the change (audit), return the
 * inventory. Rising above the threshold clears the low-stock and out-of-stock alerts.
 */
export async function restockInventory(deps: InventoryDeps, principal: Principal, input: RestockInput) {
  const reason = input.reason ?? DEFAULT_RESTOCK_REASON;
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const item = await lockStockItem(tx, input.variantId);
    const next = restock(item, input.quantity);
    const updated = await applyStockChange(deps, tx, item, next, { action: 'restocked', at, reason, userId: principal.customerId });
    await deps.outbox.add(tx, inventoryRestocked, {
      inventoryId: item.id,
      variantId: item.variantId,
      productId: item.productId,
      previous: item.onHand,
      quantity: input.quantity,
      new: updated.onHand,
      reason,
      userId: principal.customerId,
      ...stockLevelFields(updated),
      restockedAt: at.toISOString(),
    }, stockAggregate(updated));
    deps.logger.info('stock restocked', { variantId: item.variantId, quantity: input.quantity, new: updated.onHand, userId: principal.customerId });
    return toStockView(updated);
  });
}
