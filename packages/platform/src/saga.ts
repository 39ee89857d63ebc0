/**
 * Steps that cross services, each carrying its undo (STYLE.md rule 7). Not a workflow engine: a
 * list of steps, a pivot, and a journal the caller keeps in its own database.
 *
 * Steps up to and including the pivot can be undone: when one of them fails, every step that
 * started is compensated, newest first. The pivot is the point of no return (creating the order):
 * from it on, the saga only goes forward, and a later step that fails is left for recovery to
 * retry instead of undoing what the pivot made. A compensation runs for a step that may have
 * happened or not (a crash or timeout mid-call), so it must be idempotent and find nothing to undo
 * without failing.
 */
export interface SagaStep<C> {
  readonly name: string;
  /** Does the step; what it returns is merged into the context the later steps see and the journal keeps. */
  run(context: C): Promise<Partial<C> | void>;
  /** Undoes `run`. Absent for a step with nothing to undo (a local read, a check). */
  compensate?(context: C): Promise<void>;
}

export interface Saga<C> {
  readonly steps: readonly SagaStep<C>[];
  /** The name of the step after which the saga never turns back. */
  readonly pivot: string;
}

/**
 * Where a saga records its progress before moving on, so a crash at any point can be finished by
 * `resumeSaga`. A step whose effect is local should write its own `done` mark in the transaction
 * of its effect (the pivot above all); `done` must then accept being told again.
 */
export interface SagaJournal<C> {
  started(step: string, context: C): Promise<void>;
  done(step: string, context: C): Promise<void>;
  compensated(step: string): Promise<void>;
  /** Every step is done, or every started step before the pivot is undone. */
  finished(outcome: 'completed' | 'compensated', context: C): Promise<void>;
}

/** What a journal holds of a saga that did not finish. */
export interface SagaProgress<C> {
  context: C;
  started: readonly string[];
  done: readonly string[];
  compensated: readonly string[];
}

export type SagaOutcome<C> =
  | { status: 'completed'; context: C }
  /** Past the pivot, a later step failed; recovery finishes it. The saga has succeeded all the same. */
  | { status: 'completing'; context: C; error: unknown; pending: string[] }
  | { status: 'compensated'; context: C; error: unknown }
  /** Undoing failed for some steps (their service is down); recovery finishes undoing. */
  | { status: 'compensating'; context: C; error: unknown; pending: string[] };

/** Runs the steps in order, recording each before and after it runs. */
export async function runSaga<C>(saga: Saga<C>, initial: C, journal: SagaJournal<C>): Promise<SagaOutcome<C>> {
  assertPivotExists(saga);
  let context = initial;
  const started: string[] = [];
  for (const step of saga.steps) {
    if (isPastPivot(saga, step.name)) return finishForward(saga, context, [], journal);
    await journal.started(step.name, context);
    started.push(step.name);
    try {
      context = { ...context, ...(await step.run(context)) };
    } catch (error) {
      return compensate(saga, context, started, [], journal, error);
    }
    await journal.done(step.name, context);
  }
  return finishForward(saga, context, [], journal);
}

/**
 * Finishes a saga a crash (or a failed undo) left half-way: past the pivot it completes the steps
 * still to do; before it, it compensates every step that started.
 */
export async function resumeSaga<C>(saga: Saga<C>, progress: SagaProgress<C>, journal: SagaJournal<C>, error?: unknown): Promise<SagaOutcome<C>> {
  assertPivotExists(saga);
  if (progress.done.includes(saga.pivot)) return finishForward(saga, progress.context, progress.done, journal);
  return compensate(saga, progress.context, progress.started, progress.compensated, journal, error ?? new Error('the saga was interrupted before its pivot'));
}

/** Runs the steps after the pivot that are not done yet; one failing leaves it and the later ones pending. */
async function finishForward<C>(saga: Saga<C>, initial: C, done: readonly string[], journal: SagaJournal<C>): Promise<SagaOutcome<C>> {
  let context = initial;
  const after = saga.steps.filter((step) => isPastPivot(saga, step.name) && !done.includes(step.name));
  for (const [index, step] of after.entries()) {
    try {
      await journal.started(step.name, context);
      context = { ...context, ...(await step.run(context)) };
      await journal.done(step.name, context);
    } catch (error) {
      return { status: 'completing', context, error, pending: after.slice(index).map((s) => s.name) };
    }
  }
  await journal.finished('completed', context);
  return { status: 'completed', context };
}

/** Undoes the started steps newest first; each is tried even when an earlier undo failed, and a failed one stays pending. */
async function compensate<C>(
  saga: Saga<C>,
  context: C,
  started: readonly string[],
  alreadyCompensated: readonly string[],
  journal: SagaJournal<C>,
  error: unknown,
): Promise<SagaOutcome<C>> {
  const pending: string[] = [];
  const toUndo = saga.steps.filter((step) => started.includes(step.name) && !alreadyCompensated.includes(step.name)).reverse();
  for (const step of toUndo) {
    try {
      await step.compensate?.(context);
      await journal.compensated(step.name);
    } catch {
      pending.push(step.name);
    }
  }
  if (pending.length > 0) return { status: 'compensating', context, error, pending };
  await journal.finished('compensated', context);
  return { status: 'compensated', context, error };
}

function isPastPivot<C>(saga: Saga<C>, step: string): boolean {
  const names = saga.steps.map((s) => s.name);
  return names.indexOf(step) > names.indexOf(saga.pivot);
}

function assertPivotExists<C>(saga: Saga<C>): void {
  if (!saga.steps.some((step) => step.name === saga.pivot)) throw new Error(`the saga has no step named ${saga.pivot}`);
}
