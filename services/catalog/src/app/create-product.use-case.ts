import { randomBytes, randomUUID } from 'node:crypto';
import { productCreated, type Money } from '@shop/contracts';
import { AppError, assertFound, type Principal } from '@shop/platform';
import { findCategoryById } from '../db/category.repository.js';
import { insertProduct, takenSkus } from '../db/product.repository.js';
import { toPrice } from '../domain/money.js';
import { productAggregate, toDescription, toProductName, toVariants, type Variant, type VariantInput } from '../domain/product.js';
import type { CatalogDeps } from './deps.js';
import { eventVariants, toAdminProduct } from './products.js';

export interface CreateProductInput {
  name: string;
  description: string;
  price: Money;
  categoryId: string;
  variants?: VariantInput[];
  /** Starting stock of every variant. */
  initialStock: number;
  status: 'draft' | 'active';
}

/**
 * SEQ-PROD-001: validate name, description, price and variants, check the category exists, create
 * the product, and (through the outbox) have the inventory service initialize stock per variant.
 */
export async function createProduct(deps: CatalogDeps, principal: Principal, input: CreateProductInput) {
  const name = toProductName(input.name);
  const description = toDescription(input.description);
  const price = toPrice(input.price, deps.config.SHOP_CURRENCY);
  const variants = toVariants(input.variants, { name, currency: price.currency }, { newId: randomUUID, skuSuffix: randomBytes(3).toString('hex') });

  const product = await deps.transaction(async (tx) => {
    assertFound(await findCategoryById(tx, input.categoryId), 'CATEGORY_NOT_FOUND', 'category not found', { categoryId: input.categoryId });
    await assertSkusFree(tx, variants);
    const created = await insertProduct(tx, {
      id: randomUUID(),
      name,
      description,
      price,
      categoryId: input.categoryId,
      status: input.status,
      variants,
      createdBy: principal.customerId,
      createdAt: deps.now(),
    });
    await deps.outbox.add(tx, productCreated, {
      productId: created.id,
      name,
      description,
      price,
      categoryId: created.categoryId,
      status: input.status,
      variants: eventVariants(created),
      initialStock: input.initialStock,
      createdBy: principal.customerId,
      createdAt: created.createdAt.toISOString(),
    }, productAggregate(created));
    return created;
  });
  deps.logger.info('product created', { productId: product.id, status: product.status, variants: product.variants.length });
  return toAdminProduct(product);
}

/** Checked first for a clear answer; the unique index on lower(sku) still decides races. */
async function assertSkusFree(tx: CatalogDeps['db'], variants: Variant[]) {
  const taken = await takenSkus(
    tx,
    variants.map((v) => v.sku),
  );
  if (taken.length > 0) throw new AppError('SKU_TAKEN', 'a SKU is already in use', { skus: taken });
}
