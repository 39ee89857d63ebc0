import { productUpdated, type Money, type ProductChangedFields } from '@shop/contracts';
import type { Principal } from '@shop/platform';
import { insertPriceChange } from '../db/price-audit.repository.js';
import { updateProduct as saveProduct } from '../db/product.repository.js';
import { samePrice, toPrice } from '../domain/money.js';
import { productAggregate, toDescription, toProductName } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';
import { eventVariants, lockLiveProduct, toAdminProduct } from './products.js';

export interface UpdateProductInput {
  name?: string;
  description?: string;
  price?: Money;
}

/**
 * SEQ-PROD-002 and CMD-PROD-002: get the product, validate the new values, update it, log a price
 * change in the audit trail, and tell carts and inventory what changed. Values equal to the current
 * ones change nothing and emit nothing.
 */
export async function updateProduct(deps: CatalogDeps, principal: Principal, productId: string, input: UpdateProductInput) {
  return deps.transaction(async (tx) => {
    const product = await lockLiveProduct(tx, productId);
    const changed: ProductChangedFields = {};
    if (input.name !== undefined) {
      const name = toProductName(input.name);
      if (name !== product.name) changed.name = name;
    }
    if (input.description !== undefined) {
      const description = toDescription(input.description);
      if (description !== product.description) changed.description = description;
    }
    if (input.price !== undefined) {
      const price = toPrice(input.price, deps.config.SHOP_CURRENCY);
      if (!samePrice(price, product.price)) changed.price = price;
    }
    if (Object.keys(changed).length === 0) return toAdminProduct(product);

    const now = deps.now();
    const updated = await saveProduct(tx, product.id, { ...changed, updatedBy: principal.customerId, updatedAt: now });
    if (changed.price) {
      await insertPriceChange(tx, { productId: product.id, changedBy: principal.customerId, changedAt: now, oldPrice: product.price, newPrice: changed.price });
    }
    await deps.outbox.add(tx, productUpdated, {
      productId: product.id,
      name: updated.name,
      price: updated.price,
      changedFields: changed,
      variants: eventVariants(updated),
      updatedBy: principal.customerId,
      updatedAt: now.toISOString(),
    }, productAggregate(updated));
    deps.logger.info('product updated', { productId: product.id, changedFields: Object.keys(changed) });
    return toAdminProduct(updated);
  });
}
