import { randomUUID } from 'node:crypto';
import { backoffDelay, resumeSaga } from '@shop/platform';
import { claimUnfinished, releaseIdempotencyKey, saveAnswer, setCheckoutStatus, type Checkout } from '../db/checkout.repository.js';
import { checkoutJournal } from './checkout-journal.js';
import { checkoutSaga, PIVOT, type CheckoutContext } from './checkout-saga.js';
import type { OrderDeps } from './deps.js';
import { orderAnswer } from './place-order.use-case.js';

const BATCH = 10;

/**
 * The recovery worker's round: every checkout left unfinished (its runner crashed, or a step or an
 * undo failed) whose lease ran out is taken over and finished. Before its order exists, everything
 * its steps did is undone (stock released, authorization voided); after, the steps left (clearing
 * the cart) are done. What still fails is tried again later, each time waiting longer.
 */
export async function recoverCheckouts(deps: OrderDeps): Promise<{ completed: number; compensated: number; unfinished: number }> {
  const owner = randomUUID();
  const claimed = await claimUnfinished<CheckoutContext>(deps.db, owner, deps.now(), deps.config.CHECKOUT_LEASE_MS, BATCH);
  const tally = { completed: 0, compensated: 0, unfinished: 0 };
  for (const checkout of claimed) tally[await recover(deps, checkout, owner)] += 1;
  return tally;
}

async function recover(deps: OrderDeps, checkout: Checkout<CheckoutContext>, owner: string): Promise<'completed' | 'compensated' | 'unfinished'> {
  const progress = { context: checkout.context, started: checkout.stepsStarted, done: checkout.stepsDone, compensated: checkout.stepsCompensated };
  try {
    const saga = checkoutSaga(deps, owner);
    const outcome = await resumeSaga(saga, progress, checkoutJournal(deps, checkout.id, owner, saga, { progress }));
    if (outcome.status === 'completed') {
      if (!checkout.answer) await saveAnswer(deps.db, checkout.id, await orderAnswer(deps, checkout.id));
      deps.logger.info('checkout completed by recovery', { orderId: checkout.id });
      return 'completed';
    }
    if (outcome.status === 'compensated') {
      // Nobody got an answer that the key should repeat: the same key may try again.
      if (!checkout.answer && checkout.idempotencyKey) await releaseIdempotencyKey(deps.db, checkout.id);
      deps.logger.info('checkout undone by recovery', { orderId: checkout.id, steps: checkout.stepsStarted });
      return 'compensated';
    }
    await postpone(deps, checkout, owner, outcome.status, outcome.error);
  } catch (err) {
    await postpone(deps, checkout, owner, checkout.stepsDone.includes(PIVOT) ? 'completing' : 'compensating', err);
  }
  return 'unfinished';
}

/** Leaves the checkout for a later round, waiting longer each time. A running one stops blocking its customer. */
async function postpone(deps: OrderDeps, checkout: Checkout<CheckoutContext>, owner: string, status: 'completing' | 'compensating', error: unknown): Promise<void> {
  const at = deps.now();
  const delay = backoffDelay(checkout.attempts, deps.config.CHECKOUT_RECOVERY_INTERVAL_MS, deps.config.CHECKOUT_RECOVERY_MAX_DELAY_MS);
  deps.logger.warn('checkout could not be finished yet; trying again later', { orderId: checkout.id, status, retryInMs: delay, error: String(error) });
  await setCheckoutStatus(deps.db, checkout.id, owner, { status, leaseUntil: new Date(at.getTime() + delay), lastError: String(error) }, at);
}
