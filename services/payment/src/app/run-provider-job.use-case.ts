import { backoffDelay, isTransientError } from '@shop/platform';
import { claimDue, deferAttempt, findPaymentByOrder, noteCaptureSent, updatePayment } from '../db/payment.repository.js';
import type { Payment } from '../domain/payment.js';
import { needsProviderJob } from './cancellation-outcome.js';
import { recordCaptured, recordCaptureFailed } from './capture-outcome.js';
import type { PaymentDeps } from './deps.js';
import { expirePaypalApproval } from './expire-paypal-approval.use-case.js';
import { settleRefund } from './refund-payment.use-case.js';
import { settleVoid } from './void-payment.use-case.js';

/** How long a claimed payment is left to one worker; a worker that died gives it back after that. */
const LEASE_MS = 60_000;
const BATCH = 50;

/**
 * One round of the provider job: captures to ask for (or to check on, when the provider's webhook
 * is overdue), voids to finish, refunds of cancelled orders to ask for, and PayPal approvals nobody
 * gave in time to withdraw. A provider that cannot be reached is tried again later, each time
 * waiting longer, up to PROVIDER_RETRY_MAX_DELAY_MS.
 */
export async function runProviderJob(deps: PaymentDeps): Promise<{ captures: number; voids: number; refunds: number; expiries: number }> {
  // One claim for every kind of work (an awaiting approval's next attempt is its deadline).
  const claimed = await claimDue(deps.db, ['capture_requested', 'voiding', 'refunding', 'awaiting_approval'], deps.now(), LEASE_MS, BATCH);
  const of = (status: Payment['status']) => claimed.filter((payment) => payment.status === status);
  const [captures, voids, refunds, expiries] = [of('capture_requested'), of('voiding'), of('refunding'), of('awaiting_approval')];
  for (const payment of captures) await attempt(deps, payment, () => advanceCapture(deps, payment));
  for (const payment of voids) await attempt(deps, payment, () => settleVoid(deps, payment));
  for (const payment of refunds) await attempt(deps, payment, () => settleRefund(deps, payment));
  for (const payment of expiries) await attempt(deps, payment, () => expirePaypalApproval(deps, payment));
  return { captures: captures.length, voids: voids.length, refunds: refunds.length, expiries: expiries.length };
}

async function attempt(deps: PaymentDeps, payment: Payment, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!isTransientError(err)) deps.logger.error('a payment could not be advanced', { orderId: payment.orderId, status: payment.status, error: String(err) });
    const at = deps.now();
    const delay = backoffDelay(payment.attempts, deps.config.PROVIDER_JOB_INTERVAL_MS, deps.config.PROVIDER_RETRY_MAX_DELAY_MS);
    await deferAttempt(deps.db, payment.id, payment.status, { attempts: payment.attempts + 1, next_attempt_at: new Date(at.getTime() + delay) }, at);
  }
}

/** Asks for the capture once; if the provider's webhook is overdue after that, asks the provider how it went. */
async function advanceCapture(deps: PaymentDeps, payment: Payment): Promise<void> {
  const authorizationId = payment.providerAuthorizationId as string;
  if (!payment.captureSentAt) {
    // The order may have been cancelled since the payment was claimed: no capture is sent for it then.
    const latest = await findPaymentByOrder(deps.db, payment.orderId);
    if (latest?.status !== 'capture_requested' || latest.cancelRequestedAt) return;
    const outcome = await deps.provider.capture({ authorizationId, amount: payment.amount!, idempotencyKey: `capture-${payment.orderId}` });
    if (outcome.outcome === 'requested') {
      const at = deps.now();
      await noteCaptureSent(deps.db, payment.id, at, new Date(at.getTime() + deps.config.CAPTURE_CONFIRMATION_WAIT_MS));
      return;
    }
    const refused = await deps.transaction(async (tx) => {
      const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
      return current && recordCaptureFailed(deps, tx, current, outcome.reason, deps.now());
    });
    if (needsProviderJob(refused)) deps.wakeProviderJob();
    return;
  }
  const status = await deps.provider.statusOf(authorizationId);
  const settled = await deps.transaction(async (tx) => {
    const current = await findPaymentByOrder(tx, payment.orderId, { forUpdate: true });
    if (current?.status !== 'capture_requested') return current;
    const at = deps.now();
    if (status === 'captured') {
      deps.logger.warn("the provider's capture webhook is overdue; the capture was confirmed by asking", { orderId: current.orderId });
      return recordCaptured(deps, tx, current, at);
    }
    if (status === 'capture_failed') return recordCaptureFailed(deps, tx, current, 'capture_declined', at);
    return updatePayment(tx, current.id, { next_attempt_at: new Date(at.getTime() + deps.config.CAPTURE_CONFIRMATION_WAIT_MS) }, at);
  });
  // A cancelled order's capture, confirmed or refused: its refund or void is due now.
  if (needsProviderJob(settled)) deps.wakeProviderJob();
}
