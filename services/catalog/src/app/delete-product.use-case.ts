import { productDeleted } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { updateProduct } from '../db/product.repository.js';
import { productAggregate } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';
import { lockLiveProduct } from './products.js';

/**
 * CMD-PROD-003: soft delete, so order history still resolves the product; shoppers no longer see
 * it, and carts drop it on product.deleted. Deleting it again: PRODUCT_NOT_FOUND.
 */
export async function deleteProduct(deps: CatalogDeps, principal: Principal, productId: string): Promise<void> {
  await deps.transaction(async (tx) => {
    const product = await lockLiveProduct(tx, productId);
    const now = deps.now();
    const deleted = await updateProduct(tx, product.id, { deletedAt: now, deletedBy: principal.customerId, updatedBy: principal.customerId, updatedAt: now });
    await deps.outbox.add(tx, productDeleted, {
      productId: product.id,
      variantIds: product.variants.map((v) => v.id),
      deletedBy: principal.customerId,
      deletedAt: now.toISOString(),
    }, productAggregate(deleted));
  });
  deps.logger.info('product deleted', { productId });
}
