import Joi from 'joi';
import { defineEvent } from './define.js';
import { address, isoDate, money, uuid, type Address, type Money } from './common.js';

export interface OrderLineItem {
  productId: string;
  variantId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

const lineItems = () =>
  Joi.array()
    .items(
      Joi.object<OrderLineItem>({
        productId: uuid().required(),
        variantId: uuid().required(),
        sku: Joi.string().max(64).required(),
        name: Joi.string().max(200).required(),
        quantity: Joi.number().integer().min(1).required(),
        unitPrice: money().required(),
        lineTotal: money().required(),
      }),
    )
    .min(1);
const orderNumber = () => Joi.string().max(50);
/** Admin user id, or null when the system acted. */
const actorId = () => uuid().allow(null);

export interface OrderPlacedV1 {
  orderId: string;
  orderNumber: string;
  customerId: string;
  /** So the notification worker can mail the confirmation without a customer lookup. */
  email: string;
  lineItems: OrderLineItem[];
  subtotal: Money;
  shippingCost: Money;
  tax: Money;
  totalAmount: Money;
  shippingAddress: Address;
  placedAt: string;
}
export const orderPlaced = defineEvent<OrderPlacedV1>('order.placed', 1, {
  orderId: uuid().required(),
  orderNumber: orderNumber().required(),
  customerId: uuid().required(),
  email: Joi.string().email({ tlds: false }).required(),
  lineItems: lineItems().required(),
  subtotal: money().required(),
  shippingCost: money().required(),
  tax: money().required(),
  totalAmount: money().required(),
  shippingAddress: address().required(),
  placedAt: isoDate().required(),
});

export interface OrderConfirmedV1 {
  orderId: string;
  orderNumber: string;
  customerId: string;
  /** Null when the system confirmed the order after payment capture. */
  confirmedBy: string | null;
  confirmedAt: string;
}
export const orderConfirmed = defineEvent<OrderConfirmedV1>('order.confirmed', 1, {
  orderId: uuid().required(),
  orderNumber: orderNumber().required(),
  customerId: uuid().required(),
  confirmedBy: actorId().required(),
  confirmedAt: isoDate().required(),
});

export interface OrderShippedV1 {
  orderId: string;
  orderNumber: string;
  customerId: string;
  trackingNumber: string;
  carrier: string;
  shippedAt: string;
}
export const orderShipped = defineEvent<OrderShippedV1>('order.shipped', 1, {
  orderId: uuid().required(),
  orderNumber: orderNumber().required(),
  customerId: uuid().required(),
  trackingNumber: Joi.string().max(100).required(),
  carrier: Joi.string().max(100).required(),
  shippedAt: isoDate().required(),
});

export interface OrderDeliveredV1 {
  orderId: string;
  orderNumber: string;
  customerId: string;
  deliveredAt: string;
}
export const orderDelivered = defineEvent<OrderDeliveredV1>('order.delivered', 1, {
  orderId: uuid().required(),
  orderNumber: orderNumber().required(),
  customerId: uuid().required(),
  deliveredAt: isoDate().required(),
});

export interface OrderCancelledV1 {
  orderId: string;
  orderNumber: string;
  customerId: string;
  reason: string;
  lineItems: OrderLineItem[];
  refundAmount: Money;
  cancelledBy: string | null;
  cancelledAt: string;
}
export const orderCancelled = defineEvent<OrderCancelledV1>('order.cancelled', 1, {
  orderId: uuid().required(),
  orderNumber: orderNumber().required(),
  customerId: uuid().required(),
  reason: Joi.string().max(500).required(),
  lineItems: lineItems().required(),
  refundAmount: money().required(),
  cancelledBy: actorId().required(),
  cancelledAt: isoDate().required(),
});

/**
 * A carrier reported on a tracking number no order has, for staff to look into. Sent the first time
 * the number comes unmatched only; repeats are recorded by the order service without a new alert.
 */
export interface OrderCarrierUpdateUnmatchedV1 {
  trackingNumber: string;
  /** The status as the carrier sent it (`delivered`, `in_transit`, ...). */
  carrierStatus: string;
  receivedAt: string;
}
export const orderCarrierUpdateUnmatched = defineEvent<OrderCarrierUpdateUnmatchedV1>('order.carrier-update-unmatched', 1, {
  trackingNumber: Joi.string().max(100).required(),
  carrierStatus: Joi.string().max(50).required(),
  receivedAt: isoDate().required(),
});
