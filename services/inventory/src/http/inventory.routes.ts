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

  const notFound = ['PRODUCT_NOT_FOUND'] as const;
  const byVariant = { params: schema.variantIdParams, response: schema.stockResponse };

  router.get(base, admin, route({ ...byVariant, doc: { summary: "A variant's stock: on hand, reserved, available, low-stock threshold", errors: notFound } }, ({ params }) => getStock(deps, params.variantId)));
  router.put(
    base,
    admin,
    route({ ...byVariant, body: schema.setQuantityBody, doc: { summary: 'Set the quantity on hand (absolute), with a reason', errors: [...notFound, 'NEGATIVE_QUANTITY', 'NEGATIVE_STOCK'] } }, (input) =>
      setStockQuantity(deps, principalOf(input), { variantId: input.params.variantId, ...input.body }),
    ),
  );
  router.post(
    `${base}/adjustments`,
    admin,
    route({ ...byVariant, body: schema.adjustmentBody, doc: { summary: 'Adjust the quantity on hand by a signed amount, with a reason', errors: [...notFound, 'NEGATIVE_STOCK'] } }, (input) =>
      adjustStock(deps, principalOf(input), { variantId: input.params.variantId, ...input.body }),
    ),
  );
  router.post(
    `${base}/restock`,
    admin,
    route({ ...byVariant, body: schema.restockBody, doc: { summary: 'Add a delivery to the quantity on hand', errors: notFound } }, (input) =>
      restockInventory(deps, principalOf(input), { variantId: input.params.variantId, ...input.body }),
    ),
  );
  router.put(
    `${base}/threshold`,
    admin,
    route({ ...byVariant, body: schema.thresholdBody, doc: { summary: 'Set the low-stock threshold', errors: notFound } }, (input) =>
      setLowStockThreshold(deps, principalOf(input), { variantId: input.params.variantId, ...input.body }),
    ),
  );
  router.get(
    `${base}/audit`,
    admin,
    route(
      { params: schema.variantIdParams, query: schema.auditQuery, response: schema.stockAuditResponse, doc: { summary: "A variant's stock changes: who, what, when, why; newest first", errors: notFound } },
      ({ params, query }) => getStockAudit(deps, params.variantId, query),
    ),
  );
}
