import { inventoryQuantitySet } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { assertValidQuantity, setQuantity, stockAggregate } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { applyStockChange, lockStockItem, stockLevelFields } from './stock-changes.js';
import { toStockView } from './stock-view.js';

export interface SetStockQuantityInput {
  variantId: string;
  quantity: number;
  reason: string;
}

/**
 * CMD-INV-001 (EVT-INV-001): the admin sets on hand to a counted figure, never negative and never
 * below what orders hold, audited with who and why.
 */
export async function setStockQuantity(deps: InventoryDeps, principal: Principal, input: SetStockQuantityInput) {
  // Refused before any lookup: a negative count is wrong whichever variant it is for.
  assertValidQuantity(input.quantity);
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const item = await lockStockItem(tx, input.variantId);
    const next = setQuantity(item, input.quantity);
    const updated = await applyStockChange(deps, tx, item, next, { action: 'quantity_set', at, reason: input.reason, userId: principal.customerId });
    await deps.outbox.add(tx, inventoryQuantitySet, {
      inventoryId: item.id,
      variantId: item.variantId,
      productId: item.productId,
      previous: item.onHand,
      new: updated.onHand,
      reason: input.reason,
      userId: principal.customerId,
      ...stockLevelFields(updated),
      setAt: at.toISOString(),
    }, stockAggregate(updated));
    deps.logger.info('stock quantity set', { variantId: item.variantId, previous: item.onHand, new: updated.onHand, userId: principal.customerId });
    return toStockView(updated);
  });
}
