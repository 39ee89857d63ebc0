import { backoffDelay, isTransientError } from '@shop/platform';
import { claimDue, findPaymentByOrder, updatePayment } from '../db/payment.repository';
import type { Payment } from '../domain/payment';
import { recordCaptured, recordCaptureFailed } from './capture-outcome';
import type { PaymentDeps } from './deps';
import { settleVoid } from './void-payment.use-case';

/** How long a claimed payment is left to one worker; a worker that died gives it back after that. */
const LEASE_MS = 60_000;
const BATCH = 20;

/**
 * One round of the provider job: captures to ask for (or to check on, when the provider's webhook
 * is overdue) and voids to finish. A provider that cannot be reached is tried again later, each
 * time waiting longer, up to PROVIDER_RETRY_MAX_DELAY_MS.
 */
export async function runProviderJob(deps: PaymentDeps): Promise<{ captures: number; voids: number }> {
  const at = deps.now();
  const captures = await claimDue(deps.db, 'capture_requested', at, LEASE_MS, BATCH);
  const voids = await claimDue(deps.db, 'voiding', at, LEASE_MS, BATCH);
  for (const payment of captures) await attempt(deps, payment, () => advanceCapture(deps, payment));
  for (const payment of voids) await attempt(deps, payment, () => settleVoid(deps, payment));
  return { captures: captures.length, voids: voids.length };
}

async function attempt(deps: PaymentDeps, payment: Payment, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!isTransientError(err)) deps.logger.error('a payment could not be advanced', { orderId: payment.orderId, status: payment.status, error: String(err) });
    const at = deps.now();
    const delay = backoffDelay(payment.attempts, deps.config.PROVIDER_JOB_INTERVAL_MS, deps.config.PROVIDER_RETRY_MAX_DELAY_MS);
    await updatePayment(deps.db, payment.id, { attempts: payment.attempts + 1, next_attempt_at: new Date(at.getTime() + delay) }, at);
  }
}

/** Asks for the capture once; if the provider's webhook is overdue after that, asks the provider how it went. */
async function advanceCapture(deps: PaymentDeps, payment: Payment): Promise<void> {
  const authorizationId = payment.providerAuthorizationId as string;
  if (!payment.captureSentAt) {
    const outcome = await deps.provider.capture({ authorizationId, amount: payment.amount!, idempotencyKey: `capture-${payment.orderId}` });
    await deps.transaction(async (tx) => {
      const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
      if (!current) return;
      const at = deps.now();
      if (outcome.outcome === 'declined') await recordCaptureFailed(deps, tx, current, outcome.reason, at);
      else if (current.status === 'capture_requested') {
        await updatePayment(tx, current.id, { capture_sent_at: at, next_attempt_at: new Date(at.getTime() + deps.config.CAPTURE_CONFIRMATION_WAIT_MS) }, at);
      }
    });
    return;
  }
  const status = await deps.provider.statusOf(authorizationId);
  await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (current?.status !== 'capture_requested') return;
    const at = deps.now();
    if (status === 'captured') {
      deps.logger.warn("the provider's capture webhook is overdue; the capture was confirmed by asking", { orderId: current.orderId });
      await recordCaptured(deps, tx, current, at);
    } else if (status === 'capture_failed') await recordCaptureFailed(deps, tx, current, 'capture_declined', at);
    else await updatePayment(tx, current.id, { next_attempt_at: new Date(at.getTime() + deps.config.CAPTURE_CONFIRMATION_WAIT_MS) }, at);
  });
}
