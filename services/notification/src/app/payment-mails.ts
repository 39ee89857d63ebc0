import type { EventEnvelope, PaymentFailedV1, PaymentRefundedV1, PaymentRefundFailedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrder } from '../db/directory.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import { queueAlert, queueOrderMail, type MailingDeps } from './mailing.js';

type Tx = Transaction<NotificationDatabase>;

/** Failures the customer hears of as the order's cancellation instead: they left the provider's page, or never came back. */
const ENDS_IN_CANCELLATION = new Set(['approval_cancelled', 'approval_expired']);

export function onRefunded(deps: MailingDeps, tx: Tx, event: EventEnvelope<PaymentRefundedV1>): Promise<void> {
  const { orderId, amount, refundedAt } = event.data;
  return queueOrderMail(deps, tx, event, orderId, (order, to) => ({
    template: 'refund-completed',
    facts: { firstName: to.firstName, orderId, orderNumber: order.orderNumber, amount, refundedAt },
  }));
}

/** The capture of a placed order failed: the customer learns their order is on hold and nothing was charged. */
export async function onPaymentFailed(deps: MailingDeps, tx: Tx, event: EventEnvelope<PaymentFailedV1>): Promise<void> {
  const { orderId, amount, reason, failedAt } = event.data;
  if (ENDS_IN_CANCELLATION.has(reason)) return;
  await queueOrderMail(deps, tx, event, orderId, (order, to) => ({
    template: 'payment-failed',
    facts: { firstName: to.firstName, orderId, orderNumber: order.orderNumber, amount, reason, failedAt },
  }));
}

/** Staff must refund by hand: they hear of it at ALERT_EMAIL, with the order's number when the worker knows it. */
export async function onRefundFailed(deps: MailingDeps, tx: Tx, event: EventEnvelope<PaymentRefundFailedV1>): Promise<void> {
  const { orderId, paymentId, amount, reason, failedAt } = event.data;
  const order = await findOrder(tx, orderId);
  await queueAlert(deps, tx, event, 'refund-failed-alert', { orderId, orderNumber: order?.orderNumber ?? orderId, paymentId, amount, reason, failedAt });
}
