import Joi from 'joi';
import { paymentCardKeys } from '@shop/contracts';
import { pageOf, paginationKeys } from '@shop/platform';

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

// Answers (API.md "Orders"): what the routes return, for the API documents.
const uuid = () => Joi.string().uuid();
const instant = () => Joi.string().isoDate();
const money = () => Joi.object({ amount: Joi.number().integer().required(), currency: Joi.string().length(3).required() }).description('minor units');
const orderStatus = () => Joi.string().valid('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED');

/** An order as its customer sees it. */
export const orderResponse = Joi.object({
  orderId: uuid().required(),
  orderNumber: Joi.string().required().description('human-friendly and unique, e.g. ORD-2026-000123'),
  status: orderStatus().required(),
  lineItems: Joi.array()
    .items(
      Joi.object({
        productId: uuid().required(),
        variantId: uuid().required(),
        productName: Joi.string().required(),
        variantName: Joi.string().allow('').required(),
        sku: Joi.string().allow('').required(),
        quantity: Joi.number().integer().min(1).required(),
        unitPrice: money().required(),
        subtotal: money().required(),
      }),
    )
    .required(),
  subtotal: money().required(),
  shippingCost: money().required(),
  tax: money().required(),
  total: money().required(),
  shippingAddress: Joi.object({
    recipientName: Joi.string().required(),
    street: Joi.string().required(),
    city: Joi.string().required(),
    state: Joi.string().allow('').required(),
    postalCode: Joi.string().required(),
    country: Joi.string().length(2).required(),
  }).required(),
  payment: Joi.object({
    method: Joi.string().valid('card', 'paypal').required(),
    status: Joi.string()
      .valid('awaiting_approval', 'authorized', 'captured', 'failed', 'voided', 'refunded', 'refund_failed')
      .required()
      .description('as the payment service reported it'),
    brand: Joi.string(),
    last4: Joi.string().pattern(/^\d{4}$/),
    failureReason: Joi.string().description('why the payment failed (a declined capture, an approval cancelled or expired)'),
    refund: Joi.object({ status: Joi.string().valid('pending', 'refunded', 'failed').required(), amount: money().required() }).description("a cancelled order's money on its way back"),
  }).required(),
  createdAt: instant().required(),
  shipment: Joi.object({ trackingNumber: Joi.string().required(), carrier: Joi.string().allow(null).required() }).description('once shipped'),
});

const staffKeys = {
  customerId: uuid().required(),
  email: Joi.string().required(),
  confirmedAt: instant().allow(null).required(),
  shippedAt: instant().allow(null).required(),
  deliveredAt: instant().allow(null).required(),
  cancelledAt: instant().allow(null).required(),
  cancelReason: Joi.string().allow(null).required(),
};

/** An order as staff see it: who ordered it, its fulfilment, and every status change. */
export const adminOrderResponse = orderResponse.keys({
  ...staffKeys,
  statusHistory: Joi.array()
    .items(
      Joi.object({
        from: orderStatus().allow(null).required(),
        to: orderStatus().required(),
        at: instant().required(),
        by: Joi.string().required().description("a person's id, or `system`"),
        reason: Joi.string().allow(null).required(),
      }),
    )
    .required(),
});

export const orderPageResponse = pageOf(orderResponse);
/** Staff's list: each order as staff see it, without its history. */
export const adminOrderPageResponse = pageOf(orderResponse.keys(staffKeys));

export const carrierUpdateResponse = Joi.object({
  received: Joi.boolean().valid(true).required(),
  accepted: Joi.boolean().required().description('false: no order has this tracking number; kept for review'),
  status: orderStatus().description("the order's status after the update, when accepted"),
});
