import type { OrderPlacedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { currentContext } from '@shop/platform';
import { queueMail } from '../db/notification.repository';
import type { NotificationDatabase } from '../db/schema';
import { ORDER_CONFIRMATION_TEMPLATE, renderOrderConfirmation } from '../domain/order-confirmation.template';

/** The `order.placed` event that asks for the confirmation mail. */
export interface OrderConfirmationRequest {
  eventId: string;
  eventType: string;
  order: OrderPlacedV1;
}

/**
 * Renders the order confirmation and records it to send to the address the order was placed
 * with, in the consumer's transaction with the event's inbox entry: a redelivered `order.placed`
 * queues no second mail, and the dispatcher sends it with no transaction open.
 */
export async function queueOrderConfirmation(request: OrderConfirmationRequest, tx: Transaction<NotificationDatabase>, shopName: string): Promise<void> {
  const { order } = request;
  const mail = renderOrderConfirmation({
    shopName,
    // The worker keeps no view of customers yet: the order's recipient is the name it has.
    greetingName: order.shippingAddress.recipientName,
    orderNumber: order.orderNumber,
    lineItems: order.lineItems,
    subtotal: order.subtotal,
    shippingCost: order.shippingCost,
    tax: order.tax,
    totalAmount: order.totalAmount,
    shippingAddress: order.shippingAddress,
    placedAt: new Date(order.placedAt),
  });
  await queueMail(
    tx,
    {
      eventId: request.eventId,
      eventType: request.eventType,
      template: ORDER_CONFIRMATION_TEMPLATE,
      customerId: order.customerId,
      recipient: order.email,
      correlationId: currentContext().correlationId,
      ...mail,
    },
    new Date(),
  );
}
