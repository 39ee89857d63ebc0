import Joi from 'joi';
import { defineEvent } from './define.js';
import { isoDate, money, uuid, type Money } from './common.js';

export type ProductStatus = 'draft' | 'active';

export interface ProductVariant {
  variantId: string;
  sku: string;
  name: string;
  price: Money;
}

const productVariant = () =>
  Joi.object<ProductVariant>({
    variantId: uuid().required(),
    sku: Joi.string().max(64).required(),
    name: Joi.string().max(200).required(),
    price: money().required(),
  });

/** Admin user id, or null when the system acted. */
const actorId = () => uuid().allow(null);

export interface ProductCreatedV1 {
  productId: string;
  name: string;
  description: string;
  price: Money;
  categoryId: string;
  status: ProductStatus;
  variants: ProductVariant[];
  /** Starting stock; the inventory service creates one stock row per variant with this quantity. */
  initialStock: number;
  createdBy: string | null;
  createdAt: string;
}
export const productCreated = defineEvent<ProductCreatedV1>('product.created', 1, {
  productId: uuid().required(),
  name: Joi.string().max(200).required(),
  description: Joi.string().max(5000).allow('').required(),
  price: money().required(),
  categoryId: uuid().required(),
  status: Joi.string().valid('draft', 'active').required(),
  variants: Joi.array().items(productVariant()).required(),
  initialStock: Joi.number().integer().min(0).required(),
  createdBy: actorId().required(),
  createdAt: isoDate().required(),
});

export interface ProductChangedFields {
  name?: string;
  description?: string;
  price?: Money;
}

export interface ProductUpdatedV1 {
  productId: string;
  /**
   * The product's name and price after the update, changed or not: a consumer that missed or
   * skipped an earlier update (a stale one arriving late) still ends with the current values.
   */
  name?: string;
  price?: Money;
  /** New values of the fields that changed. */
  changedFields: ProductChangedFields;
  /** All current variants after the update. */
  variants: ProductVariant[];
  updatedBy: string | null;
  updatedAt: string;
}
export const productUpdated = defineEvent<ProductUpdatedV1>('product.updated', 1, {
  productId: uuid().required(),
  name: Joi.string().max(200),
  price: money(),
  changedFields: Joi.object<ProductChangedFields>({
    name: Joi.string().max(200),
    description: Joi.string().max(5000).allow(''),
    price: money(),
  }).required(),
  variants: Joi.array().items(productVariant()).required(),
  updatedBy: actorId().required(),
  updatedAt: isoDate().required(),
});

export interface ProductDeletedV1 {
  productId: string;
  variantIds: string[];
  deletedBy: string | null;
  deletedAt: string;
}
export const productDeleted = defineEvent<ProductDeletedV1>('product.deleted', 1, {
  productId: uuid().required(),
  variantIds: Joi.array().items(uuid()).required(),
  deletedBy: actorId().required(),
  deletedAt: isoDate().required(),
});

export interface ProductActivatedV1 {
  productId: string;
  variantIds: string[];
  activatedBy: string | null;
  activatedAt: string;
}
export const productActivated = defineEvent<ProductActivatedV1>('product.activated', 1, {
  productId: uuid().required(),
  variantIds: Joi.array().items(uuid()).required(),
  activatedBy: actorId().required(),
  activatedAt: isoDate().required(),
});

export interface ProductDeactivatedV1 {
  productId: string;
  variantIds: string[];
  deactivatedBy: string | null;
  deactivatedAt: string;
}
export const productDeactivated = defineEvent<ProductDeactivatedV1>('product.deactivated', 1, {
  productId: uuid().required(),
  variantIds: Joi.array().items(uuid()).required(),
  deactivatedBy: actorId().required(),
  deactivatedAt: isoDate().required(),
});

export interface CategoryCreatedV1 {
  categoryId: string;
  name: string;
  parentCategoryId: string | null;
  /** 1 for a root category; at most 3 levels. */
  depth: number;
  createdAt: string;
}
export const categoryCreated = defineEvent<CategoryCreatedV1>('category.created', 1, {
  categoryId: uuid().required(),
  name: Joi.string().max(100).required(),
  parentCategoryId: uuid().allow(null).required(),
  depth: Joi.number().integer().min(1).max(3).required(),
  createdAt: isoDate().required(),
});
