import Joi from 'joi';
import { defineEvent } from './define.js';
import { isoDate, money, uuid, type Money } from './common.js';

/** Guest carts have no customer, so `customerId` is null for them. */
const cartCustomerId = () => uuid().allow(null);

export interface CartItemAddedV1 {
  cartId: string;
  customerId: string | null;
  cartItemId: string;
  productId: string;
  variantId: string;
  /** Quantity added by this action, not the resulting line quantity. */
  quantity: number;
  unitPrice: Money;
  addedAt: string;
}
export const cartItemAdded = defineEvent<CartItemAddedV1>('cart.item-added', 1, {
  cartId: uuid().required(),
  customerId: cartCustomerId().required(),
  cartItemId: uuid().required(),
  productId: uuid().required(),
  variantId: uuid().required(),
  quantity: Joi.number().integer().min(1).required(),
  unitPrice: money().required(),
  addedAt: isoDate().required(),
});

export interface CartItemQuantityUpdatedV1 {
  cartId: string;
  customerId: string | null;
  cartItemId: string;
  productId: string;
  variantId: string;
  oldQuantity: number;
  newQuantity: number;
  updatedAt: string;
}
export const cartItemQuantityUpdated = defineEvent<CartItemQuantityUpdatedV1>('cart.item-quantity-updated', 1, {
  cartId: uuid().required(),
  customerId: cartCustomerId().required(),
  cartItemId: uuid().required(),
  productId: uuid().required(),
  variantId: uuid().required(),
  oldQuantity: Joi.number().integer().min(1).required(),
  newQuantity: Joi.number().integer().min(1).required(),
  updatedAt: isoDate().required(),
});

export interface CartItemRemovedV1 {
  cartId: string;
  customerId: string | null;
  cartItemId: string;
  productId: string;
  variantId: string;
  /** Why the item left the cart, e.g. 'customer' or 'product-deleted'. */
  reason: string;
  removedAt: string;
}
export const cartItemRemoved = defineEvent<CartItemRemovedV1>('cart.item-removed', 1, {
  cartId: uuid().required(),
  customerId: cartCustomerId().required(),
  cartItemId: uuid().required(),
  productId: uuid().required(),
  variantId: uuid().required(),
  reason: Joi.string().max(200).required(),
  removedAt: isoDate().required(),
});

export interface CartClearedV1 {
  cartId: string;
  customerId: string | null;
  /** E.g. 'order-placed' or 'customer'. */
  reason: string;
  clearedAt: string;
}
export const cartCleared = defineEvent<CartClearedV1>('cart.cleared', 1, {
  cartId: uuid().required(),
  customerId: cartCustomerId().required(),
  reason: Joi.string().max(200).required(),
  clearedAt: isoDate().required(),
});

export interface CartMergedItem {
  productId: string;
  variantId: string;
  /** Quantity of the line in the customer cart after the merge (capped to stock). */
  quantity: number;
}

export interface CartMergedV1 {
  /** The customer's cart that received the items. */
  cartId: string;
  guestCartId: string;
  customerId: string;
  mergedItems: CartMergedItem[];
  mergedAt: string;
}
export const cartMerged = defineEvent<CartMergedV1>('cart.merged', 1, {
  cartId: uuid().required(),
  guestCartId: uuid().required(),
  customerId: uuid().required(),
  mergedItems: Joi.array()
    .items(
      Joi.object<CartMergedItem>({
        productId: uuid().required(),
        variantId: uuid().required(),
        quantity: Joi.number().integer().min(1).required(),
      }),
    )
    .required(),
  mergedAt: isoDate().required(),
});

export interface CartExpiredV1 {
  cartId: string;
  customerId: string | null;
  lastActivityAt: string;
  expiredAt: string;
}
export const cartExpired = defineEvent<CartExpiredV1>('cart.expired', 1, {
  cartId: uuid().required(),
  customerId: cartCustomerId().required(),
  lastActivityAt: isoDate().required(),
  expiredAt: isoDate().required(),
});
