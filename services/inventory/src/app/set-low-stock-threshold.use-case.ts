import type { Principal } from '@shop/platform';
import { changeThreshold } from '../domain/stock.js';
import type { InventoryDeps } from './deps.js';
import { applyStockChange, lockStockItem } from './stock-changes.js';
import { toStockView } from './stock-view.js';

export interface SetLowStockThresholdInput {
  variantId: string;
  lowStockThreshold: number;
}

/**
 * Admin: from how few available units on a variant counts as low stock. The stock status can change
 * with it, so inventory.stock-changed goes out, and a low-stock alert when the new line is crossed.
 */
export async function setLowStockThreshold(deps: InventoryDeps, principal: Principal, input: SetLowStockThresholdInput) {
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const item = await lockStockItem(tx, input.variantId);
    const next = changeThreshold(item, input.lowStockThreshold);
    const updated = await applyStockChange(deps, tx, item, next, { action: 'threshold_set', at, userId: principal.customerId });
    deps.logger.info('low-stock threshold set', { variantId: item.variantId, previous: item.lowStockThreshold, new: updated.lowStockThreshold, userId: principal.customerId });
    return toStockView(updated);
  });
}
