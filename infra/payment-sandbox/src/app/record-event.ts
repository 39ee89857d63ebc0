import { currentContext } from '@shop/platform';
import type { Authorization, Money } from '../authorization';
import { insertEvent, type EventType } from '../db/event.repository';
import { newId } from '../ids';
import type { UseCaseContext } from './deps';

/**
 * Stores a webhook event about an authorization in the transaction of the change it tells of;
 * the delivery job sends it after the commit. Every event's data names the authorization, the
 * shop's reference and the amount it is about.
 */
export async function recordEvent(ctx: UseCaseContext, authorization: Authorization, type: EventType, amount: number, details: Record<string, unknown>): Promise<void> {
  const money: Money = { amount, currency: authorization.amount.currency };
  await insertEvent(ctx.tx, {
    id: newId('evt'),
    authorizationId: authorization.id,
    type,
    data: { authorizationId: authorization.id, reference: authorization.reference, amount: money, ...details },
    createdAt: ctx.now,
    correlationId: currentContext().correlationId,
  });
}
