import Joi from 'joi';
import { pageOf, paginationKeys } from '@shop/platform';
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

// Answers (API.md "Catalog"): what the routes return, for the API documents.
const instant = () => Joi.string().isoDate();
const stockStatus = () => Joi.string().valid('in_stock', 'low_stock', 'out_of_stock');
const productStatus = () => Joi.string().valid('draft', 'active', 'inactive');
const price = () => money.description('minor units');

/** A category of the tree with its sub-categories, sorted by name. */
const categoryNode = Joi.object({
  id: id.required(),
  name: Joi.string().required(),
  parentCategoryId: id.allow(null).required(),
  depth: Joi.number().integer().min(1).max(3).required(),
  children: Joi.array().items(Joi.link('#categoryNode')).required(),
}).id('categoryNode');

export const categoryTreeResponse = Joi.object({ items: Joi.array().items(categoryNode).required() });
export const categoryResponse = Joi.object({
  id: id.required(),
  name: Joi.string().required(),
  parentCategoryId: id.allow(null).required(),
  depth: Joi.number().integer().min(1).max(3).required(),
  createdAt: instant().required(),
});

export const productListResponse = pageOf(
  Joi.object({ id: id.required(), name: Joi.string().required(), price: price().required(), categoryId: id.required(), stockStatus: stockStatus().required(), createdAt: instant().required() }),
);

export const productDetailsResponse = Joi.object({
  id: id.required(),
  name: Joi.string().required(),
  description: Joi.string().allow('').required(),
  price: price().required(),
  category: Joi.object({ id: id.required(), name: Joi.string().required() }).required(),
  status: Joi.string().valid('active').required(),
  variants: Joi.array()
    .items(Joi.object({ id: id.required(), sku: Joi.string().required(), name: Joi.string().required(), price: price().required(), stockStatus: stockStatus().required() }))
    .min(1)
    .required(),
  stockStatus: stockStatus().required(),
  createdAt: instant().required(),
  updatedAt: instant().required(),
});

export const adminProductResponse = Joi.object({
  id: id.required(),
  name: Joi.string().required(),
  description: Joi.string().allow('').required(),
  price: price().required(),
  categoryId: id.required(),
  status: productStatus().required(),
  stockStatus: stockStatus().required(),
  variants: Joi.array()
    .items(Joi.object({ id: id.required(), sku: Joi.string().required(), name: Joi.string().required(), price: price().required().description("the variant's own, else the product's") }))
    .min(1)
    .required(),
  createdBy: id.allow(null).required(),
  updatedBy: id.allow(null).required(),
  createdAt: instant().required(),
  updatedAt: instant().required(),
  deletedAt: instant().allow(null).required(),
});
export const adminProductListResponse = pageOf(adminProductResponse);

export const priceAuditResponse = pageOf(
  Joi.object({ changedBy: id.required(), changedAt: instant().required(), oldPrice: price().required(), newPrice: price().required() }),
);
