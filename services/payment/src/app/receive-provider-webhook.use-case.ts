import { findPaymentByAuthorization, recordProviderEvent } from '../db/payment.repository';
import { recordCaptured, recordCaptureFailed } from './capture-outcome';
import type { PaymentDeps } from './deps';

export interface WebhookDelivery {
  rawBody: Buffer | undefined;
  signature: string | undefined;
}

/**
 * `POST /webhooks/payments`: the provider's signed event (401 INVALID_SIGNATURE unless its
 * signature is right and under 5 minutes old). Each provider event is taken in once, by its id: a
 * replay answers the same and changes nothing. A capture confirms the payment and publishes
 * `payment.captured`; a failed capture publishes `payment.failed`.
 */
export async function receiveProviderWebhook(deps: PaymentDeps, delivery: WebhookDelivery) {
  const event = deps.provider.readWebhook(delivery.rawBody, delivery.signature);
  return deps.transaction(async (tx) => {
    const payment = await findPaymentByAuthorization(tx, event.authorizationId, { forUpdate: true });
    const at = deps.now();
    const isNew = await recordProviderEvent(tx, { eventId: event.eventId, type: event.providerType, orderId: payment?.orderId ?? null }, at);
    if (!isNew) return { received: true, duplicate: true };
    if (!payment) {
      deps.logger.warn('a provider event about an authorization the shop does not know; recorded for review', { eventId: event.eventId, type: event.providerType });
      return { received: true };
    }
    if (event.type === 'captured') await recordCaptured(deps, tx, payment, at);
    else if (event.type === 'capture_failed') await recordCaptureFailed(deps, tx, payment, event.reason ?? 'capture_declined', at);
    else deps.logger.info('a provider event the shop does not act on', { eventId: event.eventId, type: event.providerType, orderId: payment.orderId });
    return { received: true };
  });
}
