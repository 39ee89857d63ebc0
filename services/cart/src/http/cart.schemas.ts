import Joi from 'joi';
import { MAX_LINE_QUANTITY } from '../domain/cart.js';

// Shapes and types only; the rules (stock, the line maximum after adding, products on sale) are
// the domain's, answered with their own codes.
const uuid = () => Joi.string().uuid();

export const addItemBody = Joi.object({
  productId: uuid().required(),
  variantId: uuid(),
  quantity: Joi.number().integer().min(1).max(MAX_LINE_QUANTITY).required(),
});
export const quantityBody = Joi.object({ quantity: Joi.number().integer().min(0).max(MAX_LINE_QUANTITY).required() });
export const itemParams = Joi.object({ itemId: uuid().required() });
export const mergeBody = Joi.object({ cartToken: Joi.string().max(200).required() });
export const customerParams = Joi.object({ customerId: uuid().required() });
export const cartParams = Joi.object({ cartId: uuid().required() });
export const clearForOrderBody = Joi.object({ orderId: uuid().required(), version: Joi.number().integer().min(1).required() });
