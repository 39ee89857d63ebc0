import { paymentCaptured, paymentFailed, paymentRefunded, paymentRefundFailed, paymentVoided, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { confirmPaidOrder } from '../app/confirm-paid-order.use-case.js';
import type { OrderDeps } from '../app/deps.js';
import { notePaymentFailure } from '../app/note-payment-failure.use-case.js';
import { notePaymentSettlement } from '../app/note-payment-settlement.use-case.js';
import type { OrderDatabase } from '../db/schema.js';

/**
 * Consumes `order.payment-events`: a captured payment confirms its order, a failed one is noted on
 * it, and a cancelled order shows whether its payment was voided, refunded, or its refund failed. The inbox records each event id in the handler's transaction, so a redelivery changes nothing.
 */
export function startPaymentConsumer(deps: OrderDeps, backbone: Backbone<OrderDatabase>): Consumer {
  return startConsumer<OrderDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.orderPaymentEvents,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: (committed) => {
      backbone.relay.wake(committed);
      // A failed payment may leave an abandoned PayPal order to cancel; nothing else does.
      if (committed.event.type === paymentFailed.type) deps.wakeAbandonedOrders();
    },
    handlers: [
      on(paymentCaptured, (event, tx) => confirmPaidOrder(deps, tx, event.data)),
      on(paymentFailed, (event, tx) => notePaymentFailure(deps, tx, event.data)),
      on(paymentVoided, (event, tx) => notePaymentSettlement(deps, tx, { kind: 'voided', event: event.data })),
      on(paymentRefunded, (event, tx) => notePaymentSettlement(deps, tx, { kind: 'refunded', event: event.data })),
      on(paymentRefundFailed, (event, tx) => notePaymentSettlement(deps, tx, { kind: 'refund-failed', event: event.data })),
    ],
  });
}
