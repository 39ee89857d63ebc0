import { productDeactivated } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { updateProduct } from '../db/product.repository.js';
import { productAggregate, statusAfterDeactivation } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';
import { lockLiveProduct, toAdminProduct } from './products.js';

/** EVT-PROD-005: an active product goes off sale; an inactive or draft one stays as it is, no event. */
export async function deactivateProduct(deps: CatalogDeps, principal: Principal, productId: string) {
  return deps.transaction(async (tx) => {
    const product = await lockLiveProduct(tx, productId);
    const status = statusAfterDeactivation(product.status);
    if (!status) return toAdminProduct(product);

    const now = deps.now();
    const updated = await updateProduct(tx, product.id, { status, updatedBy: principal.customerId, updatedAt: now });
    await deps.outbox.add(tx, productDeactivated, {
      productId: product.id,
      variantIds: product.variants.map((v) => v.id),
      deactivatedBy: principal.customerId,
      deactivatedAt: now.toISOString(),
    }, productAggregate(updated));
    deps.logger.info('product deactivated', { productId: product.id });
    return toAdminProduct(updated);
  });
}
