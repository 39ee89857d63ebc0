import Joi from 'joi';
import { pageOf, paginationKeys } from '@shop/platform';
import { MAX_QUANTITY } from '../domain/stock.js';

// Shapes and types only; the stock rules (no negative quantity, nothing below what is reserved)
// are checked by the domain, which answers with its own error codes.
const uuid = () => Joi.string().uuid();
const reason = () => Joi.string().trim().min(1).max(500);

export const variantIdParams = Joi.object({ variantId: uuid().required() });
export const orderIdParams = Joi.object({ orderId: uuid().required() });

/** Any integer, so a negative one reaches the domain and gets NEGATIVE_QUANTITY. */
export const setQuantityBody = Joi.object({ quantity: Joi.number().integer().max(MAX_QUANTITY).required(), reason: reason().required() });
export const adjustmentBody = Joi.object({
  adjustment: Joi.number().integer().min(-MAX_QUANTITY).max(MAX_QUANTITY).invalid(0).required(),
  reason: reason().required(),
});
export const restockBody = Joi.object({ quantity: Joi.number().integer().min(1).max(MAX_QUANTITY).required(), reason: reason() });
export const thresholdBody = Joi.object({ lowStockThreshold: Joi.number().integer().min(0).max(MAX_QUANTITY).required() });
export const auditQuery = Joi.object({ ...paginationKeys });

export const reserveBody = Joi.object({
  orderId: uuid().required(),
  lines: Joi.array()
    .items(Joi.object({ variantId: uuid().required(), quantity: Joi.number().integer().min(1).max(MAX_QUANTITY).required() }))
    .min(1)
    .max(200)
    .required(),
  ttlSeconds: Joi.number().integer().min(1).max(86_400),
});
export const releaseBody = Joi.object({ reason: reason().required() });
export const stockQueryBody = Joi.object({ variantIds: Joi.array().items(uuid()).min(1).max(200).required() });

/** `?after=<variantId>&limit=`: the internal stock feed, up to 500 rows a page. */
export const stockFeedQuery = Joi.object({ after: uuid(), limit: Joi.number().integer().min(1).max(500).default(200) });

// Answers (API.md "stock"): what the admin routes return, for the API documents.
export const stockResponse = Joi.object({
  variantId: uuid().required(),
  productId: uuid().required(),
  onHand: Joi.number().integer().min(0).required(),
  reserved: Joi.number().integer().min(0).required().description('held for checkouts under way'),
  available: Joi.number().integer().min(0).required().description('onHand - reserved'),
  lowStockThreshold: Joi.number().integer().min(0).required(),
  stockStatus: Joi.string().valid('in_stock', 'low_stock', 'out_of_stock').required(),
});

export const stockAuditResponse = pageOf(
  Joi.object({
    action: Joi.string().valid('initialized', 'quantity_set', 'adjusted', 'restocked', 'threshold_set', 'reserved', 'released', 'deducted').required(),
    previous: Joi.number().integer().required(),
    new: Joi.number().integer().required(),
    delta: Joi.number().integer().required(),
    reason: Joi.string().allow(null).required(),
    userId: uuid().allow(null).required().description("the admin's id; null for a checkout's reservation, release or deduction"),
    orderId: uuid().allow(null).required(),
    at: Joi.string().isoDate().required(),
  }),
);
