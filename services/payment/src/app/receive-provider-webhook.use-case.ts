import type { Money } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findPaymentByApproval, findPaymentByAuthorization, findPaymentByOrder, recordProviderEvent } from '../db/payment.repository.js';
import type { PaymentDatabase } from '../db/schema.js';
import type { Payment } from '../domain/payment.js';
import { recordApprovalFailed, recordApproved } from './approval-outcome.js';
import { needsProviderJob, recordRefunded, recordRefundFailed } from './cancellation-outcome.js';
import { recordCaptured, recordCaptureFailed } from './capture-outcome.js';
import type { PaymentDeps } from './deps.js';
import type { ProviderEvent } from './payment-provider.js';

export interface WebhookDelivery {
  rawBody: Buffer | undefined;
  signature: string | undefined;
}

/**
 * `POST /webhooks/payments`: the provider's signed event (401 INVALID_SIGNATURE unless its
 * signature is right and under 5 minutes old). Each provider event is taken in once, by its id: a
 * replay answers the same and changes nothing. A capture confirms the payment and publishes
 * `payment.captured` (a cancelled order's is then refunded); a failed capture publishes
 * `payment.failed`. The refund of a cancelled order is settled by its `refunded` or
 * `refund_failed` event, unless the provider job recorded the provider's answer first. A PayPal
 * payment the shopper approved is captured by its approval's capture; one they cancelled at the
 * provider fails (`approval_cancelled`, `payment.failed`).
 */
export async function receiveProviderWebhook(deps: PaymentDeps, delivery: WebhookDelivery) {
  const event = deps.provider.readWebhook(delivery.rawBody, delivery.signature);
  const { answer, payment } = await deps.transaction(async (tx) => {
    const payment = await paymentOf(tx, event);
    const at = deps.now();
    const isNew = await recordProviderEvent(tx, { eventId: event.eventId, type: event.providerType, orderId: payment?.orderId ?? null }, at);
    if (!isNew) return { answer: { received: true, duplicate: true } };
    if (!payment) {
      const about = event.authorizationId ? 'an authorization' : 'a PayPal approval';
      deps.logger.warn(`a provider event about ${about} the shop does not know; recorded for review`, { eventId: event.eventId, type: event.providerType });
      return { answer: { received: true } };
    }
    let changed: Payment | undefined;
    if (event.type === 'captured' && event.approvalId && event.authorizationId) {
      changed = await recordApproved(deps, tx, payment, { approvalId: event.approvalId, authorizationId: event.authorizationId }, at);
    } else if (event.type === 'approval_cancelled') changed = await recordApprovalFailed(deps, tx, payment, 'approval_cancelled', at);
    else if (event.type === 'captured') changed = await recordCaptured(deps, tx, payment, at);
    else if (event.type === 'capture_failed') changed = await recordCaptureFailed(deps, tx, payment, event.reason ?? 'capture_declined', at);
    else if (event.type === 'refunded' || event.type === 'refund_failed') changed = await applyRefundEvent(deps, tx, event, payment, at);
    else deps.logger.info('a provider event the shop does not act on', { eventId: event.eventId, type: event.providerType, orderId: payment.orderId });
    return { answer: { received: true }, payment: changed };
  });
  if (needsProviderJob(payment)) deps.wakeProviderJob();
  return answer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payment an event is about, locked: by the provider's authorization; a PayPal approval's
 * events by the approval, or by their reference (the order id) when the shop did not get to store
 * the approval (its answer was lost), if that order's PayPal payment names no other approval.
 */
async function paymentOf(tx: Transaction<PaymentDatabase>, event: ProviderEvent): Promise<Payment | undefined> {
  const byAuthorization = event.authorizationId ? await findPaymentByAuthorization(tx, event.authorizationId, { forUpdate: true }) : undefined;
  if (byAuthorization || !event.approvalId) return byAuthorization;
  const byApproval = await findPaymentByApproval(tx, event.approvalId, { forUpdate: true });
  if (byApproval || !event.reference || !UUID.test(event.reference)) return byApproval;
  const byReference = await findPaymentByOrder(tx, event.reference, { forUpdate: true });
  return byReference?.method === 'paypal' && byReference.paypalApprovalId === null ? byReference : undefined;
}

/**
 * The provider's answer to the refund the shop asked for a cancelled order, if the provider job
 * has not recorded it already. A refund of a payment the shop is not refunding (made at the
 * provider by hand) is only logged.
 */
async function applyRefundEvent(deps: PaymentDeps, tx: Transaction<PaymentDatabase>, event: ProviderEvent, payment: Payment, at: Date): Promise<Payment | undefined> {
  const meta = { eventId: event.eventId, type: event.providerType, orderId: payment.orderId, status: payment.status };
  if (payment.status === 'refunding') {
    if (event.type === 'refund_failed') return recordRefundFailed(deps, tx, payment, event.reason ?? 'refund_failed', at);
    if (event.refundId) return recordRefunded(deps, tx, payment, { refundId: event.refundId, amount: event.amount ?? (payment.amount as Money) }, at);
  }
  if (payment.status === 'refunded' || payment.status === 'refund_failed') deps.logger.info('a refund event the shop has recorded already', meta);
  else deps.logger.info('a provider event the shop does not act on', meta);
  return undefined;
}
