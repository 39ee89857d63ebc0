import type { PaymentRefundedV1, PaymentRefundFailedV1, PaymentVoidedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findOrder, updateOrder } from '../db/order.repository.js';
import type { OrderDatabase } from '../db/schema.js';
import type { OrderPayment } from '../domain/order.js';
import type { OrderDeps } from './deps.js';

export type PaymentSettlement = { kind: 'voided'; event: PaymentVoidedV1 } | { kind: 'refunded'; event: PaymentRefundedV1 } | { kind: 'refund-failed'; event: PaymentRefundFailedV1 };

/**
 * What became of a cancelled order's payment, as the payment service reports it: the hold voided,
 * the money refunded, or a refund that failed (for staff to handle). The order shows it.
 */
export async function notePaymentSettlement(deps: OrderDeps, tx: Transaction<OrderDatabase>, settlement: PaymentSettlement): Promise<void> {
  const order = await findOrder(tx, settlement.event.orderId, { forUpdate: true });
  if (!order) return;
  const payment: OrderPayment = paymentAfter(order.payment, settlement);
  await updateOrder(tx, order, { payment }, deps.now());
  const meta = { orderId: order.id, orderNumber: order.orderNumber, payment: settlement.kind };
  if (settlement.kind === 'refund-failed') deps.logger.warn('the refund of a cancelled order failed; it waits for staff', meta);
  else deps.logger.info('the payment of a cancelled order was settled', meta);
}

function paymentAfter(payment: OrderPayment, settlement: PaymentSettlement): OrderPayment {
  switch (settlement.kind) {
    case 'voided':
      return { ...payment, status: 'voided' };
    case 'refunded':
      return { ...payment, status: 'refunded', refund: { status: 'refunded', amount: settlement.event.amount } };
    case 'refund-failed':
      return { ...payment, status: 'refund_failed', refund: { status: 'failed', amount: settlement.event.amount } };
  }
}
