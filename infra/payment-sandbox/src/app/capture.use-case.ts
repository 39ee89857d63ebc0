import { captureAmountOf, type Authorization, type Money } from '../authorization.js';
import { markCaptured, markCaptureFailed } from '../db/authorization.repository.js';
import type { UseCaseContext } from './deps.js';
import { lockExisting } from './find-authorization.js';
import { recordEvent } from './record-event.js';

/**
 * Takes the held amount (or part of it). A capture of a captured authorization changes nothing
 * and answers as the first one did. The card that fails captures leaves the authorization
 * `capture_failed` (it may be captured again, or voided) and tells so by webhook.
 */
export async function capture(ctx: UseCaseContext, id: string, requested: Money | undefined): Promise<Authorization> {
  const authorization = await lockExisting(ctx, id);
  if (authorization.status === 'captured') return authorization;
  const amount = captureAmountOf(authorization, requested);
  if (authorization.laterFailure === 'capture_fails') {
    const failed = await markCaptureFailed(ctx.tx, id);
    await recordEvent(ctx, failed, 'payment.capture_failed', amount, { reason: 'capture_declined', failedAt: ctx.now.toISOString() });
    return failed;
  }
  const captured = await markCaptured(ctx.tx, id, amount, ctx.now);
  await recordEvent(ctx, captured, 'payment.captured', amount, { capturedAt: ctx.now.toISOString() });
  return captured;
}
