import type { StatusChange } from '../db/order.repository.js';
import type { Order } from '../domain/order.js';

/** An order as its customer sees it (API.md), its fields in the documented order. */
export function toOrderView(order: Order) {
  const { recipientName, street, city, state, postalCode, country } = order.shippingAddress;
  const { method, status, brand, last4 } = order.payment;
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    status: order.status,
    lineItems: order.lineItems.map(({ productId, variantId, productName, variantName, sku, quantity, unitPrice, subtotal }) => ({
      productId,
      variantId,
      productName,
      variantName,
      sku,
      quantity,
      unitPrice: { amount: unitPrice.amount, currency: unitPrice.currency },
      subtotal: { amount: subtotal.amount, currency: subtotal.currency },
    })),
    subtotal: order.subtotal,
    shippingCost: order.shippingCost,
    tax: order.tax,
    total: order.total,
    shippingAddress: { recipientName, street, city, state, postalCode, country },
    payment: {
      method,
      status,
      ...(brand && { brand }),
      ...(last4 && { last4 }),
      ...(order.payment.failureReason && { failureReason: order.payment.failureReason }),
      ...(order.payment.refund && { refund: order.payment.refund }),
    },
    createdAt: order.createdAt.toISOString(),
    ...(order.trackingNumber && { shipment: { trackingNumber: order.trackingNumber, carrier: order.carrier } }),
  };
}

/** An order as staff see it: who ordered, its fulfilment, and every status change (by a person's id, or `system`). */
export function toAdminOrderView(order: Order, history: StatusChange[]) {
  return {
    ...toOrderView(order),
    customerId: order.customerId,
    email: order.email,
    confirmedAt: order.confirmedAt?.toISOString() ?? null,
    shippedAt: order.shippedAt?.toISOString() ?? null,
    deliveredAt: order.deliveredAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    cancelReason: order.cancelReason ?? null,
    statusHistory: history.map((change) => ({ from: change.from, to: change.to, at: change.at.toISOString(), by: change.by ?? 'system', reason: change.reason })),
  };
}
