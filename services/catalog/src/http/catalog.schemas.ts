import Joi from 'joi';
import { paginationKeys } from '@shop/platform';
import { DESCRIPTION_MAX } from '../domain/product.js';

// Shapes and types only; the catalog's rules (name length, description length, price range, the
// shop's currency) are checked by the domain, which answers with its own error codes. So the
// limits here are generous: a 5001-character description reaches the domain and is DESCRIPTION_TOO_LONG.
const id = Joi.string().uuid();
const money = Joi.object({
  amount: Joi.number().integer().required(),
  currency: Joi.string().length(3).required(),
});
const productName = Joi.string().allow('').max(1000);
const description = Joi.string().allow('').max(DESCRIPTION_MAX * 4);
const sku = Joi.string()
  .max(64)
  .pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dots, dashes and underscores');
const variant = Joi.object({
  sku: sku.required(),
  name: Joi.string().max(1000).required(),
  price: money,
});
/** Minor units, as prices are. */
const priceBound = Joi.number().integer().min(0);

export const categoryBody = Joi.object({ name: Joi.string().max(1000).required(), parentCategoryId: id });

export const createProductBody = Joi.object({
  name: productName.required(),
  description: description.required(),
  price: money.required(),
  categoryId: id.required(),
  variants: Joi.array().items(variant).max(100),
  initialStock: Joi.number().integer().min(0).max(1_000_000_000).default(0),
  status: Joi.string().valid('draft', 'active').default('draft'),
});

export const updateProductBody = Joi.object({ name: productName, description, price: money }).min(1);

export const productIdParams = Joi.object({ id: id.required() });

export const adminProductsQuery = Joi.object({ ...paginationKeys, status: Joi.string().valid('draft', 'active', 'inactive', 'deleted') });

export const priceAuditQuery = Joi.object(paginationKeys);

export const browseQuery = Joi.object({
  ...paginationKeys,
  categoryId: id,
  // A blank search box searches for nothing in particular.
  q: Joi.string().trim().allow('').max(200),
  minPrice: priceBound,
  maxPrice: priceBound.when('minPrice', { is: Joi.exist(), then: Joi.number().min(Joi.ref('minPrice')) }),
  sort: Joi.string().valid('price', '-price', 'name', '-createdAt').default('-createdAt'),
});

/** `?after=<productId>&limit=`: the internal product feed, up to 500 products a page. */
export const productFeedQuery = Joi.object({ after: id, limit: Joi.number().integer().min(1).max(500).default(200) });
