import Joi from 'joi';
import { MAX_LINE_QUANTITY } from '../domain/cart.js';
import { MAX_CART_TOKEN_LENGTH } from '../domain/cart-token.js';

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
export const mergeBody = Joi.object({ cartToken: Joi.string().max(MAX_CART_TOKEN_LENGTH).required() });
export const customerParams = Joi.object({ customerId: uuid().required() });
export const cartParams = Joi.object({ cartId: uuid().required() });
export const clearForOrderBody = Joi.object({ orderId: uuid().required(), version: Joi.number().integer().min(1).required() });

// Answers (API.md "Cart"): what the routes return, for the API documents.
const money = () => Joi.object({ amount: Joi.number().integer().required(), currency: Joi.string().length(3).required() }).description('minor units');

/** A cart, in every cart answer: each line at the current price. */
export const cartResponse = Joi.object({
  cartId: uuid().required(),
  items: Joi.array()
    .items(
      Joi.object({
        itemId: uuid().required(),
        productId: uuid().required(),
        variantId: uuid().required(),
        productName: Joi.string().allow('').required(),
        variantName: Joi.string().allow('').required(),
        sku: Joi.string().allow('').required(),
        quantity: Joi.number().integer().min(1).required(),
        unitPrice: money().required().description('the current price'),
        subtotal: money().required(),
        available: Joi.boolean().required().description('false for a product no longer on sale or a sold-out variant'),
      }),
    )
    .required(),
  itemCount: Joi.number().integer().min(0).required(),
  total: money().required(),
  updatedAt: Joi.string().isoDate().required(),
});
export const guestCartResponse = Joi.object({
  cartId: uuid().required(),
  cartToken: Joi.string().required().description('send it as X-Cart-Token on cart routes; returned once'),
});
