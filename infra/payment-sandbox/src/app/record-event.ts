import { currentContext } from '@shop/platform';
import type { Authorization, Money } from '../authorization.js';
import { insertEvent, type EventType, type NewEvent } from '../db/event.repository.js';
import { newId } from '../ids.js';
import type { PaypalApproval } from '../paypal.js';
import type { UseCaseContext } from './deps.js';

async function store(ctx: UseCaseContext, event: Pick<NewEvent, 'authorizationId' | 'approvalId' | 'type' | 'data'>): Promise<void> {
  await insertEvent(ctx.tx, { id: newId('evt'), ...event, createdAt: ctx.now, correlationId: currentContext().correlationId });
}

/**
 * Stores a webhook event about an authorization in the transaction of the change it tells of;
 * the delivery job sends it after the commit. Every event's data names the authorization, the
 * shop's reference and the amount it is about; the capture of an approved PayPal payment names
 * its approval too (`approvalId`).
 */
export async function recordEvent(
  ctx: UseCaseContext,
  authorization: Authorization,
  type: EventType,
  amount: number,
  details: Record<string, unknown>,
  approvalId: string | null = null,
): Promise<void> {
  const money: Money = { amount, currency: authorization.amount.currency };
  await store(ctx, {
    authorizationId: authorization.id,
    approvalId,
    type,
    data: { authorizationId: authorization.id, reference: authorization.reference, amount: money, ...details, ...(approvalId !== null && { approvalId }) },
  });
}

/**
 * Stores a webhook event about a PayPal approval that became no authorization (the shopper
 * cancelled it): its data names the approval, the shop's reference and the amount.
 */
export async function recordApprovalEvent(ctx: UseCaseContext, approval: PaypalApproval, type: EventType, details: Record<string, unknown>): Promise<void> {
  await store(ctx, {
    authorizationId: null,
    approvalId: approval.id,
    type,
    data: { approvalId: approval.id, reference: approval.reference, amount: approval.amount, ...details },
  });
}
