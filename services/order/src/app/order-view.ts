import type { Order } from '../domain/order';

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
    payment: { method, status, ...(brand && { brand }), ...(last4 && { last4 }) },
    createdAt: order.createdAt.toISOString(),
  };
}
