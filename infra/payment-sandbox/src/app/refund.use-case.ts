import { refundAmountOf, type Authorization, type Money, type Refund } from '../authorization.js';
import { addRefunded, insertRefund } from '../db/authorization.repository.js';
import { newId } from '../ids.js';
import type { UseCaseContext } from './deps.js';
import { lockExisting } from './find-authorization.js';
import { recordEvent } from './record-event.js';

/**
 * Gives back some or all of what was captured, never more than is left. The card whose refunds
 * fail gets a refund recorded as `failed` (nothing given back) and a webhook saying so.
 */
export async function refund(ctx: UseCaseContext, id: string, requested: Money | undefined): Promise<{ refund: Refund; authorization: Authorization }> {
  const authorization = await lockExisting(ctx, id);
  const amount = refundAmountOf(authorization, requested);
  const failed = authorization.laterFailure === 'refund_fails';
  const created: Refund = { id: newId('re'), authorizationId: id, amount, status: failed ? 'failed' : 'succeeded', createdAt: ctx.now };
  await insertRefund(ctx.tx, created);
  if (failed) {
    await recordEvent(ctx, authorization, 'payment.refund_failed', amount, { refundId: created.id, reason: 'refund_failed', failedAt: ctx.now.toISOString() });
    return { refund: created, authorization };
  }
  const refunded = await addRefunded(ctx.tx, id, amount);
  await recordEvent(ctx, refunded, 'payment.refunded', amount, {
    refundId: created.id,
    refundedAt: ctx.now.toISOString(),
    totalRefunded: { amount: refunded.refundedAmount, currency: refunded.amount.currency },
  });
  return { refund: created, authorization: refunded };
}
