import type { Authorization, Refund } from '../authorization.js';
import type { StoredEvent } from '../db/event.repository.js';
import type { PaypalApproval } from '../paypal.js';
import { webhookPayload } from '../webhooks.js';

/** An authorization as the API shows it: no card data beyond brand and last four digits. */
export function authorizationView(authorization: Authorization) {
  const { currency } = authorization.amount;
  return {
    id: authorization.id,
    status: authorization.status,
    amount: authorization.amount,
    reference: authorization.reference,
    brand: authorization.brand,
    last4: authorization.last4,
    declineCode: authorization.declineCode,
    capturedAmount: authorization.capturedAmount === null ? null : { amount: authorization.capturedAmount, currency },
    refundedAmount: { amount: authorization.refundedAmount, currency },
    createdAt: authorization.createdAt.toISOString(),
    capturedAt: authorization.capturedAt?.toISOString() ?? null,
    voidedAt: authorization.voidedAt?.toISOString() ?? null,
  };
}

export function refundView(refund: Refund, currency: string) {
  return {
    id: refund.id,
    authorizationId: refund.authorizationId,
    amount: { amount: refund.amount, currency },
    status: refund.status,
    createdAt: refund.createdAt.toISOString(),
  };
}

/** The page a shopper approves or cancels a PayPal payment on. */
export function approvalUrlOf(publicUrl: string, id: string): string {
  return `${publicUrl}/paypal/${encodeURIComponent(id)}`;
}

/** A PayPal approval as the API shows it, with the address to send the shopper's browser to. */
export function approvalView(approval: PaypalApproval, publicUrl: string) {
  return {
    id: approval.id,
    status: approval.status,
    amount: approval.amount,
    reference: approval.reference,
    approvalUrl: approvalUrlOf(publicUrl, approval.id),
    returnUrl: approval.returnUrl,
    cancelUrl: approval.cancelUrl,
    authorizationId: approval.authorizationId,
    cancelledBy: approval.cancelledBy,
    createdAt: approval.createdAt.toISOString(),
    approvedAt: approval.approvedAt?.toISOString() ?? null,
    cancelledAt: approval.cancelledAt?.toISOString() ?? null,
  };
}

/** A stored event: the webhook's body, and how its delivery is going. */
export function eventView(event: StoredEvent) {
  return {
    ...webhookPayload(event),
    delivery: {
      status: event.deliveredAt ? 'delivered' : 'pending',
      attempts: event.attempts,
      deliveredAt: event.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: event.deliveredAt ? null : event.nextAttemptAt.toISOString(),
      lastError: event.lastError,
    },
  };
}
