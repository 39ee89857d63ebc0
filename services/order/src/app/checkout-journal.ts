import type { Saga, SagaJournal, SagaProgress } from '@shop/platform';
import { writeJournal, type JournalEntry } from '../db/checkout.repository.js';
import type { CheckoutContext } from './checkout-saga.js';
import type { OrderDeps } from './deps.js';

/** Another runner (the recovery worker) took the checkout over: this one must stop at once. */
export class CheckoutTakenOver extends Error {
  constructor(checkoutId: string) {
    super(`checkout ${checkoutId} is run by another worker now`);
    this.name = 'CheckoutTakenOver';
  }
}

/** The answer a finished checkout gives, when it is known by then (kept with the journal's last write). */
export type AnswerOf = () => { status: number; body: unknown } | undefined;

export interface CheckoutJournalOptions {
  /** What an earlier runner recorded (recovery goes on from there); nothing for a new checkout. */
  progress?: Pick<SagaProgress<CheckoutContext>, 'started' | 'done' | 'compensated'>;
  answer?: AnswerOf;
}

/**
 * The checkout's journal in its row, written when recovery needs it and not more often: before a
 * step with an undo starts (so a crash during it is undone), after each undo, and when the saga ends.
 * The other marks (a check, a read, a step whose redo recovery finds by itself) are kept in memory
 * and go out with the next write; the pivot's transaction writes its own (see `pivotEntry`). Each
 * write carries the whole journal and renews the runner's lease; a write by a runner that lost the
 * checkout to recovery fails, and so does that runner.
 */
export function checkoutJournal(deps: OrderDeps, checkoutId: string, owner: string, saga: Saga<CheckoutContext>, options: CheckoutJournalOptions = {}): SagaJournal<CheckoutContext> {
  const undoable = new Set(saga.steps.filter((step) => step.compensate).map((step) => step.name));
  const started = [...(options.progress?.started ?? [])];
  const done = [...(options.progress?.done ?? [])];
  const compensated = [...(options.progress?.compensated ?? [])];
  let context: CheckoutContext | undefined;
  const note = (list: string[], step: string) => {
    if (!list.includes(step)) list.push(step);
  };

  async function write(changes: Partial<JournalEntry> = {}): Promise<void> {
    const at = deps.now();
    const entry: JournalEntry = {
      stepsStarted: started,
      stepsDone: done,
      stepsCompensated: compensated,
      context: (context ?? {}) as unknown as Record<string, unknown>,
      leaseUntil: new Date(at.getTime() + deps.config.CHECKOUT_LEASE_MS),
      ...changes,
    };
    if (!(await writeJournal(deps.db, checkoutId, owner, entry, at))) throw new CheckoutTakenOver(checkoutId);
  }

  return {
    async started(step, current) {
      note(started, step);
      context = current;
      if (undoable.has(step)) await write();
    },
    async done(step, current) {
      note(done, step);
      context = current;
    },
    async compensated(step) {
      note(compensated, step);
      if (undoable.has(step)) await write();
    },
    async finished(outcome, current) {
      context = current;
      const answer = outcome === 'completed' ? options.answer?.() : undefined;
      await write({ status: outcome, lastError: null, ...(answer && { answer }) });
    },
  };
}

/**
 * The journal as the pivot's transaction writes it: every step up to the pivot has started and is
 * done (the saga runs the pivot only then, and never runs it again), and the checkout goes only
 * forward from here, with the cart version it ordered.
 */
export function pivotEntry(deps: OrderDeps, saga: Saga<CheckoutContext>, context: CheckoutContext, cart: { cartId: string; version: number }, at: Date): JournalEntry {
  const names = saga.steps.map((step) => step.name);
  const throughPivot = names.slice(0, names.indexOf(saga.pivot) + 1);
  return {
    stepsStarted: throughPivot,
    stepsDone: throughPivot,
    stepsCompensated: [],
    context: context as unknown as Record<string, unknown>,
    leaseUntil: new Date(at.getTime() + deps.config.CHECKOUT_LEASE_MS),
    status: 'completing',
    cart,
  };
}
