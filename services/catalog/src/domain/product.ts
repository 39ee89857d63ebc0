import type { AggregateRef, Money, StockStatus } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { toPrice } from './money.js';

export type ProductStatus = 'draft' | 'active' | 'inactive';

export const PRODUCT_NAME_MIN = 2;
export const PRODUCT_NAME_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const DEFAULT_VARIANT_NAME = 'Default';

/** A sellable variant of a product; `price` is its own price, null when the product's applies. */
export interface Variant {
  id: string;
  sku: string;
  name: string;
  price: Money | null;
}

/** The Product aggregate (seed EVT-PROD-*): every product has at least one variant. */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: Money;
  categoryId: string;
  status: ProductStatus;
  stockStatus: StockStatus;
  /** Grows with every change; the events about the product carry it. */
  version: number;
  variants: Variant[];
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/**
 * INV-PROD name: 2-200 characters once trimmed. Lengths count UTF-16 code units, as joi does in
 * the event contracts, so whatever passes here also fits the events.
 */
export function toProductName(raw: string): string {
  const name = raw.trim();
  const length = name.length;
  if (length < PRODUCT_NAME_MIN || length > PRODUCT_NAME_MAX) {
    throw new AppError('INVALID_PRODUCT_NAME', `the product name must be ${PRODUCT_NAME_MIN}-${PRODUCT_NAME_MAX} characters`, {
      min: PRODUCT_NAME_MIN,
      max: PRODUCT_NAME_MAX,
      length,
    });
  }
  return name;
}

/** INV-PROD description: at most 5000 characters once trimmed; empty is allowed. */
export function toDescription(raw: string): string {
  const description = raw.trim();
  const length = description.length;
  if (length > DESCRIPTION_MAX) {
    throw new AppError('DESCRIPTION_TOO_LONG', `the description must be at most ${DESCRIPTION_MAX} characters`, { max: DESCRIPTION_MAX, length });
  }
  return description;
}

/** What a variant costs: its own price, else the product's. */
export function effectivePrice(product: Pick<Product, 'price'>, variant: Pick<Variant, 'price'>): Money {
  return variant.price ?? product.price;
}

export interface VariantInput {
  sku: string;
  name: string;
  price?: Money;
}

/**
 * The variants of a new product: each with a valid own price if it has one and a SKU no other
 * variant in the request shares (letter case aside). None given: one default variant whose SKU is
 * made from the product name and `skuSuffix`.
 */
export function toVariants(
  input: VariantInput[] | undefined,
  product: { name: string; currency: string },
  ids: { newId: () => string; skuSuffix: string },
): Variant[] {
  if (!input || input.length === 0) {
    return [{ id: ids.newId(), sku: defaultSku(product.name, ids.skuSuffix), name: DEFAULT_VARIANT_NAME, price: null }];
  }
  const variants = input.map((v, i) => ({
    id: ids.newId(),
    sku: v.sku,
    name: toVariantName(v.name, i),
    price: v.price ? toPrice(v.price, product.currency, `variants.${i}.price`) : null,
  }));
  assertDistinctSkus(variants.map((v) => v.sku));
  return variants;
}

/** A variant's name: trimmed, 1-200 characters. */
function toVariantName(raw: string, index: number): string {
  const name = raw.trim();
  const length = name.length;
  if (length < 1 || length > PRODUCT_NAME_MAX) {
    throw new AppError('VALIDATION_ERROR', `a variant name must be 1-${PRODUCT_NAME_MAX} characters`, {
      fields: [{ field: `variants.${index}.name`, message: `must be 1-${PRODUCT_NAME_MAX} characters` }],
    });
  }
  return name;
}

/** INV-PROD SKU unique: also within one request. */
export function assertDistinctSkus(skus: string[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const sku of skus) {
    const key = sku.toLowerCase();
    if (seen.has(key)) repeated.add(sku);
    seen.add(key);
  }
  if (repeated.size > 0) throw new AppError('SKU_TAKEN', 'a SKU is used more than once', { skus: [...repeated] });
}

/** `Blue Café T-Shirt` + `4f9a2c` -> `BLUE-CAFE-T-SHIRT-4F9A2C`: readable, and unique through the suffix. */
export function defaultSku(productName: string, suffix: string): string {
  const slug = productName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'ITEM'}-${suffix.toUpperCase()}`;
}

/** Activating a draft or inactive product makes it active; an active one stays as it is (undefined). */
export function statusAfterActivation(status: ProductStatus): ProductStatus | undefined {
  return status === 'active' ? undefined : 'active';
}

/**
 * Deactivating takes an active product off sale. An inactive one stays as it is, and so does a
 * draft: it was never on sale, and the seed's ProductDeactivated says the product was active.
 */
export function statusAfterDeactivation(status: ProductStatus): ProductStatus | undefined {
  return status === 'active' ? 'inactive' : undefined;
}


/** The product as the aggregate its events are about, at its current version. */
export function productAggregate(product: Pick<Product, 'id' | 'version'>): AggregateRef {
  return { type: 'product', id: product.id, version: product.version };
}
