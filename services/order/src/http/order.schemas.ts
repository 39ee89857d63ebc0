import Joi from 'joi';
import { paymentCardKeys } from '@shop/contracts';
import { paginationKeys } from '@shop/platform';

// Shapes and types only; the customer service judges the address, the provider the card.
const text = (max: number) => Joi.string().trim().min(1).max(max);

export const shippingAddress = Joi.object({
  recipientName: text(200).required(),
  street: text(200).required(),
  city: text(100).required(),
  state: Joi.string().trim().allow('').max(100).required(),
  postalCode: text(20).required(),
  country: Joi.string().trim().length(2).required(),
});

export const placeOrderBody = Joi.object({
  shippingAddressId: Joi.string().uuid(),
  shippingAddress,
  // A card, or PayPal-style: the shopper approves at the provider after the order exists.
  payment: Joi.alternatives()
    .conditional('.method', {
      is: 'paypal',
      then: Joi.object({ method: Joi.string().valid('paypal').required() }),
      otherwise: Joi.object({ method: Joi.string().valid('card').required(), ...paymentCardKeys() }),
    })
    .required(),
}).xor('shippingAddressId', 'shippingAddress');

/** Visible ASCII, as HTTP header values are: a client's retry token, never a secret. */
export const idempotencyKey = Joi.string().pattern(/^[\x21-\x7e]{1,255}$/).messages({ 'string.pattern.base': 'must be 1 to 255 visible ASCII characters' });

export const orderIdParams = Joi.object({ id: Joi.string().uuid().required() });
export const listQuery = Joi.object({ ...paginationKeys });

const reason = Joi.string().trim().min(1).max(500);
export const cancelBody = Joi.object({ reason });
export const adminCancelBody = Joi.object({ reason: reason.required() });
export const shipBody = Joi.object({ trackingNumber: text(100).required(), carrier: text(100).required() });

const isoInstant = Joi.string().isoDate();
export const adminListQuery = Joi.object({
  ...paginationKeys,
  status: Joi.string().valid('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'),
  customerId: Joi.string().uuid(),
  from: isoInstant,
  to: isoInstant,
  q: Joi.string().trim().min(1).max(50),
});

/** The carrier's webhook body (API.md): other statuses are recorded, `delivered` acts. */
export const carrierUpdateBody = Joi.object({ trackingNumber: text(100).required(), status: text(50).required() }).unknown(true);
