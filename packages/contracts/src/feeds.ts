import Joi from 'joi';
import type { ProductVariant } from './catalog.events.js';
import { money, uuid, type Money } from './common.js';

/**
 * The internal feeds a service reads when it starts against others that already have data (a new
 * replica's empty database): pages of the current state, in id order, resumed `after` an id.
 */
export interface FeedPage<T> {
  items: T[];
  /** The `after` of the next page; null once this page was the last. */
  next: string | null;
}

/** One product of the catalog's feed (`GET /internal/products/feed`): its whole state at a version. */
export interface ProductSnapshot {
  productId: string;
  name: string;
  status: 'draft' | 'active' | 'inactive';
  /** Deleted products stay in the feed, so read models learn of those too. */
  deleted: boolean;
  price: Money;
  /** Each at the price it sells at (its own, else the product's). */
  variants: ProductVariant[];
  /** The product's version: the one its latest event carries. */
  version: number;
}

/** One variant's stock level in the inventory's feed (`GET /internal/stock/feed`). */
export interface StockLevelSnapshot {
  variantId: string;
  productId: string;
  available: number;
  stockStatus: 'in_stock' | 'low_stock' | 'out_of_stock';
  lowStockThreshold: number;
  stockVersion: number;
}

const page = <T>(item: Joi.ObjectSchema<T>) =>
  Joi.object<FeedPage<T>>({ items: Joi.array().items(item).required(), next: Joi.string().allow(null).required() }).unknown(true);

/** A page of the catalog's product feed, as its readers check it (fields they do not know are dropped). */
export const productFeedPageSchema = page(
  Joi.object<ProductSnapshot>({
    productId: uuid().required(),
    name: Joi.string().max(200).required(),
    status: Joi.string().valid('draft', 'active', 'inactive').required(),
    deleted: Joi.boolean().required(),
    price: money().required(),
    variants: Joi.array()
      .items(Joi.object({ variantId: uuid().required(), sku: Joi.string().required(), name: Joi.string().required(), price: money().required() }).unknown(true))
      .required(),
    version: Joi.number().integer().min(1).required(),
  }).unknown(true),
);

/** A page of the inventory's stock feed. */
export const stockFeedPageSchema = page(
  Joi.object<StockLevelSnapshot>({
    variantId: uuid().required(),
    productId: uuid().required(),
    available: Joi.number().integer().min(0).required(),
    stockStatus: Joi.string().valid('in_stock', 'low_stock', 'out_of_stock').required(),
    lowStockThreshold: Joi.number().integer().min(0).required(),
    stockVersion: Joi.number().integer().min(0).required(),
  }).unknown(true),
);
