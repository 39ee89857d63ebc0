import type { EventEnvelope, OrderCancelledV1, OrderDeliveredV1, OrderLineItem, OrderPlacedV1, OrderShippedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { saveOrder, type KnownOrder } from '../db/directory.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import type { MailLine } from '../domain/mail-templates.js';
import { addresseeOf, queue, queueOrderMail, type MailingDeps } from './mailing.js';

type Tx = Transaction<NotificationDatabase>;

/** order.placed: the order joins the view (later payment mails name it), and the "order received" mail goes to the address it was placed with. */
export async function onOrderPlaced(deps: MailingDeps, tx: Tx, event: EventEnvelope<OrderPlacedV1>): Promise<void> {
  const order = event.data;
  const known = { orderId: order.orderId, orderNumber: order.orderNumber, customerId: order.customerId, email: order.email };
  await saveOrder(tx, known);
  const addressee = await addresseeOf(tx, order.customerId, known);
  await queue(deps, tx, event, {
    template: 'order-confirmation',
    facts: {
      firstName: addressee?.firstName,
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      lineItems: mailLines(order.lineItems),
      subtotal: order.subtotal,
      shippingCost: order.shippingCost,
      tax: order.tax,
      totalAmount: order.totalAmount,
      shippingAddress: order.shippingAddress,
      placedAt: order.placedAt,
    },
    recipient: order.email,
    customerId: order.customerId,
  });
}

export function onOrderShipped(deps: MailingDeps, tx: Tx, event: EventEnvelope<OrderShippedV1>): Promise<void> {
  const { orderId, carrier, trackingNumber, shippedAt } = event.data;
  return queueOrderMail(
    deps,
    tx,
    event,
    orderId,
    (order, to) => ({ template: 'order-shipped', facts: { firstName: to.firstName, orderId, orderNumber: order.orderNumber, carrier, trackingNumber, shippedAt } }),
    asKnown(event.data),
  );
}

export function onOrderDelivered(deps: MailingDeps, tx: Tx, event: EventEnvelope<OrderDeliveredV1>): Promise<void> {
  const { orderId, deliveredAt } = event.data;
  return queueOrderMail(
    deps,
    tx,
    event,
    orderId,
    (order, to) => ({ template: 'order-delivered', facts: { firstName: to.firstName, orderId, orderNumber: order.orderNumber, deliveredAt } }),
    asKnown(event.data),
  );
}

export function onOrderCancelled(deps: MailingDeps, tx: Tx, event: EventEnvelope<OrderCancelledV1>): Promise<void> {
  const { orderId, reason, lineItems, refundAmount, cancelledAt } = event.data;
  return queueOrderMail(
    deps,
    tx,
    event,
    orderId,
    (order, to) => ({
      template: 'order-cancelled',
      facts: { firstName: to.firstName, orderId, orderNumber: order.orderNumber, reason, lineItems: mailLines(lineItems), refundAmount, cancelledAt },
    }),
    asKnown(event.data),
  );
}

/** An order event names the order's number and customer, enough when the view has not got the order. */
function asKnown(data: { orderId: string; orderNumber: string; customerId: string }): KnownOrder {
  return { orderId: data.orderId, orderNumber: data.orderNumber, customerId: data.customerId, email: null };
}

export function mailLines(lines: readonly OrderLineItem[]): MailLine[] {
  return lines.map((line) => ({ name: line.name, sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice, lineTotal: line.lineTotal }));
}
