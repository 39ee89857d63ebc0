import type { OrderCancelledV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findPaymentByOrder, updatePayment } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import { cancellationStepOf, refundAmountOf, type Payment } from '../domain/payment.js';
import { startRefund, startVoidOfCancelled } from './cancellation-outcome.js';
import type { PaymentDeps } from './deps.js';

/**
 * SEQ-ORDER-005 steps 6-7 on `order.cancelled`: the payment notes that its order was cancelled, in
 * the consumer's transaction, and the provider job (woken after the commit; no network call while
 * a transaction is open) gives the money back: it voids what was only held, a capture not sent yet
 * included (it is never sent now), and refunds what was captured. A capture already with the
 * provider is refunded once the provider confirms it. No payment, or one that holds no money: the
 * cancellation is logged and nothing is published.
 */
export async function requestCancellation(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, order: Pick<OrderCancelledV1, 'orderId' | 'refundAmount'>): Promise<void> {
  const payment = await findPaymentByOrder(tx, order.orderId, { forUpdate: true });
  if (!payment) {
    deps.logger.info('an order was cancelled without a payment here; nothing to void or refund', { orderId: order.orderId });
    return;
  }
  const step = cancellationStepOf(payment);
  if (step === 'nothing') {
    logNothingToDo(deps, payment);
    return;
  }
  warnIfRefundAmountDiffers(deps, payment, order);
  const at = deps.now();
  const noted = { cancel_requested_at: at };
  if (step === 'void') await startVoidOfCancelled(tx, payment, at, noted);
  else if (step === 'refund') await startRefund(deps, tx, payment, at, noted);
  else {
    await updatePayment(tx, payment.id, noted, at);
    deps.logger.info('an order was cancelled while the provider takes its capture; it is refunded once the capture is confirmed', { orderId: payment.orderId });
  }
}

function logNothingToDo(deps: PaymentDeps, payment: Payment): void {
  if (payment.cancelRequestedAt) {
    deps.logger.info('the cancellation of this order was taken in before; nothing more to do', { orderId: payment.orderId, status: payment.status });
  } else {
    deps.logger.info('an order was cancelled whose payment holds no money; nothing to void or refund', { orderId: payment.orderId, status: payment.status });
  }
}

/** What the payment took is what goes back; an order that expects another amount is worth a look. */
function warnIfRefundAmountDiffers(deps: PaymentDeps, payment: Payment, order: Pick<OrderCancelledV1, 'orderId' | 'refundAmount'>): void {
  if (!payment.amount) return;
  const { amount, differs } = refundAmountOf(payment.amount, order.refundAmount);
  if (differs) {
    deps.logger.warn("the cancelled order's refund amount differs from what its payment took; what the payment took is given back", {
      orderId: order.orderId,
      refundAmount: order.refundAmount,
      paymentAmount: amount,
    });
  }
}
