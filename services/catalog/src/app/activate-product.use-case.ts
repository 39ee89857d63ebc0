import { productActivated } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { updateProduct } from '../db/product.repository.js';
import { productAggregate, statusAfterActivation } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';
import { lockLiveProduct, toAdminProduct } from './products.js';

/** EVT-PROD-004: a draft or inactive product goes on sale; an active one stays as it is, no event. */
export async function activateProduct(deps: CatalogDeps, principal: Principal, productId: string) {
  return deps.transaction(async (tx) => {
    const product = await lockLiveProduct(tx, productId);
    const status = statusAfterActivation(product.status);
    if (!status) return toAdminProduct(product);

    const now = deps.now();
    const updated = await updateProduct(tx, product.id, { status, updatedBy: principal.customerId, updatedAt: now });
    await deps.outbox.add(tx, productActivated, {
      productId: product.id,
      variantIds: product.variants.map((v) => v.id),
      activatedBy: principal.customerId,
      activatedAt: now.toISOString(),
    }, productAggregate(updated));
    deps.logger.info('product activated', { productId: product.id, from: product.status });
    return toAdminProduct(updated);
  });
}
