import type { Kysely, Transaction } from '@shop/db';
import type { SagaJournal } from '@shop/platform';
import { recordStep, setCheckoutStatus } from '../db/checkout.repository.js';
import type { OrderDatabase } from '../db/schema.js';
import type { CheckoutContext } from './checkout-saga.js';
import type { OrderDeps } from './deps.js';

/** Another runner (the recovery worker) took the checkout over: this one must stop at once. */
export class CheckoutTakenOver extends Error {
  constructor(checkoutId: string) {
    super(`checkout ${checkoutId} is run by another worker now`);
    this.name = 'CheckoutTakenOver';
  }
}

/**
 * The checkout's journal in its row: each step's start, end and undo, with the context, written
 * before the saga moves on, and each write renewing the runner's lease. A write by a runner that
 * lost the checkout to recovery fails, and so does that runner.
 */
export function checkoutJournal(deps: OrderDeps, checkoutId: string, owner: string): SagaJournal<CheckoutContext> {
  const progress = (context?: CheckoutContext) => {
    const at = deps.now();
    return { at, leaseUntil: new Date(at.getTime() + deps.config.CHECKOUT_LEASE_MS), ...(context && { context: context as unknown as Record<string, unknown> }) };
  };
  const owned = (written: boolean) => {
    if (!written) throw new CheckoutTakenOver(checkoutId);
  };
  return {
    started: async (step, context) => owned(await recordStep(deps.db, checkoutId, owner, 'steps_started', step, progress(context))),
    done: async (step, context) => owned(await recordStep(deps.db, checkoutId, owner, 'steps_done', step, progress(context))),
    compensated: async (step) => owned(await recordStep(deps.db, checkoutId, owner, 'steps_compensated', step, progress())),
    finished: async (outcome, context) => {
      const at = deps.now();
      owned(await setCheckoutStatus(deps.db, checkoutId, owner, { status: outcome, context: context as unknown as Record<string, unknown>, lastError: null }, at));
    },
  };
}

/** Locks the checkout row for the pivot's transaction, or fails if this runner no longer owns it. */
export async function lockOwnedCheckout(tx: Transaction<OrderDatabase>, checkoutId: string, owner: string): Promise<void> {
  const row = await tx.selectFrom('checkouts').select('id').where('id', '=', checkoutId).where('owner', '=', owner).forUpdate().executeTakeFirst();
  if (!row) throw new CheckoutTakenOver(checkoutId);
}

/** In the pivot's transaction: the order exists, so the checkout only goes forward from here, and this cart version is ordered. */
export async function markPivotDone(
  deps: OrderDeps,
  tx: Kysely<OrderDatabase>,
  checkoutId: string,
  owner: string,
  pivot: string,
  context: CheckoutContext,
  cart: { cartId: string; version: number },
): Promise<void> {
  const at = deps.now();
  await recordStep(tx, checkoutId, owner, 'steps_done', pivot, { at, leaseUntil: new Date(at.getTime() + deps.config.CHECKOUT_LEASE_MS), context: context as unknown as Record<string, unknown> });
  await setCheckoutStatus(tx, checkoutId, owner, { status: 'completing', cart }, at);
}
