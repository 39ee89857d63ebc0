import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { adjustStock } from '../app/adjust-stock.use-case.js';
import type { InventoryDeps } from '../app/deps.js';
import { getStockAudit } from '../app/get-stock-audit.use-case.js';
import { getStock } from '../app/get-stock.use-case.js';
import { restockInventory } from '../app/restock-inventory.use-case.js';
import { setLowStockThreshold } from '../app/set-low-stock-threshold.use-case.js';
import { setStockQuantity } from '../app/set-stock-quantity.use-case.js';
import * as schema from './inventory.schemas.js';

/** Admin stock management; the admin's id is the audit's "who". */
export function inventoryRoutes(router: Router, deps: InventoryDeps): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  const base = '/admin/inventory/:variantId';

  router.get(base, admin, route({ params: schema.variantIdParams }, ({ params }) => getStock(deps, params.variantId)));
  router.put(
    base,
    admin,
    route({ params: schema.variantIdParams, body: schema.setQuantityBody }, (input) => setStockQuantity(deps, principalOf(input), { variantId: input.params.variantId, ...input.body })),
  );
  router.post(
    `${base}/adjustments`,
    admin,
    route({ params: schema.variantIdParams, body: schema.adjustmentBody }, (input) => adjustStock(deps, principalOf(input), { variantId: input.params.variantId, ...input.body })),
  );
  router.post(
    `${base}/restock`,
    admin,
    route({ params: schema.variantIdParams, body: schema.restockBody }, (input) => restockInventory(deps, principalOf(input), { variantId: input.params.variantId, ...input.body })),
  );
  router.put(
    `${base}/threshold`,
    admin,
    route({ params: schema.variantIdParams, body: schema.thresholdBody }, (input) => setLowStockThreshold(deps, principalOf(input), { variantId: input.params.variantId, ...input.body })),
  );
  router.get(`${base}/audit`, admin, route({ params: schema.variantIdParams, query: schema.auditQuery }, ({ params, query }) => getStockAudit(deps, params.variantId, query)));
}
