import type { Order } from '../domain/order';

/** An order as its customer sees it (API.md). */
export function toOrderView(order: Order) {
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    status: order.status,
    lineItems: order.lineItems,
    subtotal: order.subtotal,
    shippingCost: order.shippingCost,
    tax: order.tax,
    total: order.total,
    shippingAddress: order.shippingAddress,
    payment: order.payment,
    createdAt: order.createdAt.toISOString(),
  };
}
