import { orderCancelled, orderPlaced, subscriptions } from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import type { PaymentDeps } from '../app/deps.js';
import { requestCancellation } from '../app/request-cancellation.use-case.js';
import { requestCapture } from '../app/request-capture.use-case.js';
import type { PaymentDatabase } from '../db/schema.js';

/**
 * Consumes `payment.order-events`: a placed order's authorization is to be captured, a cancelled
 * order's payment voided or refunded. The inbox records each event id in the handler's
 * transaction, so a redelivered order asks for one capture and a redelivered cancellation for one
 * void or refund.
 */
export function startOrderConsumer(deps: PaymentDeps, backbone: Backbone<PaymentDatabase>): Consumer {
  return startConsumer<PaymentDatabase>({
    broker: backbone.broker,
    db: backbone.db,
    logger: deps.logger,
    subscription: subscriptions.paymentOrderEvents,
    retry: backbone.retry,
    handlerTimeoutMs: backbone.handlerTimeoutMs,
    afterCommit: (committed) => {
      backbone.relay.wake(committed);
      deps.wakeProviderJob();
    },
    handlers: [on(orderPlaced, (event, tx) => requestCapture(deps, tx, event.data)), on(orderCancelled, (event, tx) => requestCancellation(deps, tx, event.data))],
  });
}
