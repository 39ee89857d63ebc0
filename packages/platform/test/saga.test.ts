import { expect } from 'chai';
import { resumeSaga, runSaga, type Saga, type SagaJournal, type SagaStep } from '../src/saga';

interface Context {
  orderId: string;
  reservationId?: string;
  authorizationId?: string;
}

/** A saga whose steps record what they did, and fail when told to. */
function checkoutLike(options: { failRun?: string; failUndo?: string[] } = {}) {
  const calls: string[] = [];
  const step = (name: string, produce: Partial<Context> = {}, undo = true): SagaStep<Context> => ({
    name,
    async run(context) {
      calls.push(`run ${name} ${context.orderId}`);
      if (options.failRun === name) throw new Error(`${name} failed`);
      return produce;
    },
    ...(undo && {
      async compensate() {
        calls.push(`undo ${name}`);
        if (options.failUndo?.includes(name)) throw new Error(`undo ${name} failed`);
      },
    }),
  });
  const saga: Saga<Context> = {
    steps: [step('check', {}, false), step('reserve', { reservationId: 'r1' }), step('authorize', { authorizationId: 'a1' }), step('create'), step('clear', {}, false)],
    pivot: 'create',
  };
  return { saga, calls };
}

function memoryJournal() {
  const entries: string[] = [];
  const journal: SagaJournal<Context> = {
    started: async (step) => void entries.push(`started ${step}`),
    done: async (step) => void entries.push(`done ${step}`),
    compensated: async (step) => void entries.push(`compensated ${step}`),
    finished: async (outcome) => void entries.push(`finished ${outcome}`),
  };
  return { journal, entries };
}

describe('saga steps', () => {
  describe('runSaga', () => {
    it('when every step succeeds, then each is recorded before and after it runs, and the outputs reach the later steps', async () => {
      const { saga, calls } = checkoutLike();
      const { journal, entries } = memoryJournal();

      const outcome = await runSaga(saga, { orderId: 'o1' }, journal);

      expect(outcome).to.deep.equal({ status: 'completed', context: { orderId: 'o1', reservationId: 'r1', authorizationId: 'a1' } });
      expect(calls).to.deep.equal(['run check o1', 'run reserve o1', 'run authorize o1', 'run create o1', 'run clear o1']);
      expect(entries).to.deep.equal([
        'started check',
        'done check',
        'started reserve',
        'done reserve',
        'started authorize',
        'done authorize',
        'started create',
        'done create',
        'started clear',
        'done clear',
        'finished completed',
      ]);
    });

    it('when a step before the pivot fails, then it and every earlier step are undone, newest first, and the error is returned', async () => {
      const { saga, calls } = checkoutLike({ failRun: 'authorize' });
      const { journal, entries } = memoryJournal();

      const outcome = await runSaga(saga, { orderId: 'o1' }, journal);

      expect(outcome.status).to.equal('compensated');
      expect((outcome as { error: Error }).error.message).to.equal('authorize failed');
      // The failed call may have taken effect before it failed (a timeout), so it is undone too.
      expect(calls).to.deep.equal(['run check o1', 'run reserve o1', 'run authorize o1', 'undo authorize', 'undo reserve']);
      expect(entries.slice(-4)).to.deep.equal(['compensated authorize', 'compensated reserve', 'compensated check', 'finished compensated']);
      expect(entries).not.to.include('started create');
    });

    it('when the pivot fails, then the steps before it are undone', async () => {
      const { saga, calls } = checkoutLike({ failRun: 'create' });
      const { journal } = memoryJournal();

      const outcome = await runSaga(saga, { orderId: 'o1' }, journal);

      expect(outcome.status).to.equal('compensated');
      expect(calls.filter((c) => c.startsWith('undo'))).to.deep.equal(['undo create', 'undo authorize', 'undo reserve']);
      expect(calls).not.to.include('run clear o1');
    });

    it('when a step after the pivot fails, then nothing is undone and the step is left pending for recovery', async () => {
      const { saga, calls } = checkoutLike({ failRun: 'clear' });
      const { journal, entries } = memoryJournal();

      const outcome = await runSaga(saga, { orderId: 'o1' }, journal);

      expect(outcome.status).to.equal('completing');
      expect((outcome as { pending: string[] }).pending).to.deep.equal(['clear']);
      expect(calls.some((c) => c.startsWith('undo'))).to.equal(false);
      expect(entries).to.include('done create');
      expect(entries).not.to.include('finished completed');
    });

    it('when an undo fails, then the other undos still run and the failed one is left pending, the saga unfinished', async () => {
      const { saga, calls } = checkoutLike({ failRun: 'authorize', failUndo: ['authorize'] });
      const { journal, entries } = memoryJournal();

      const outcome = await runSaga(saga, { orderId: 'o1' }, journal);

      expect(outcome.status).to.equal('compensating');
      expect((outcome as { pending: string[] }).pending).to.deep.equal(['authorize']);
      expect(calls).to.include('undo reserve');
      expect(entries).to.include('compensated reserve');
      expect(entries).not.to.include('compensated authorize');
      expect(entries).not.to.include('finished compensated');
    });

    it('when the journal cannot record a step, then the step does not run and the failure is thrown', async () => {
      const { saga, calls } = checkoutLike();
      const { journal } = memoryJournal();
      const failing = { ...journal, started: async (step: string) => (step === 'reserve' ? Promise.reject(new Error('database down')) : undefined) };

      let thrown: unknown;
      await runSaga(saga, { orderId: 'o1' }, failing).catch((err) => (thrown = err));

      expect((thrown as Error).message).to.equal('database down');
      expect(calls).to.deep.equal(['run check o1']);
    });

    it('when the pivot is not one of the steps, then it refuses to start', async () => {
      const { saga } = checkoutLike();
      let thrown: unknown;
      await runSaga({ ...saga, pivot: 'nope' }, { orderId: 'o1' }, memoryJournal().journal).catch((err) => (thrown = err));
      expect((thrown as Error).message).to.match(/no step named nope/);
    });
  });

  describe('resumeSaga', () => {
    it('when the pivot was done, then only the steps after it that are not done run, and the saga completes', async () => {
      const { saga, calls } = checkoutLike();
      const { journal, entries } = memoryJournal();

      const outcome = await resumeSaga(
        saga,
        { context: { orderId: 'o1', reservationId: 'r1', authorizationId: 'a1' }, started: ['check', 'reserve', 'authorize', 'create', 'clear'], done: ['check', 'reserve', 'authorize', 'create'], compensated: [] },
        journal,
      );

      expect(outcome.status).to.equal('completed');
      expect(calls).to.deep.equal(['run clear o1']);
      expect(entries).to.deep.equal(['started clear', 'done clear', 'finished completed']);
    });

    it('when it stopped before the pivot, then every started step is undone, newest first, whether or not it was done', async () => {
      const { saga, calls } = checkoutLike();
      const { journal, entries } = memoryJournal();

      const outcome = await resumeSaga(saga, { context: { orderId: 'o1', reservationId: 'r1' }, started: ['check', 'reserve', 'authorize'], done: ['check', 'reserve'], compensated: [] }, journal);

      expect(outcome.status).to.equal('compensated');
      expect(calls).to.deep.equal(['undo authorize', 'undo reserve']);
      expect(entries.at(-1)).to.equal('finished compensated');
    });

    it('when an undo had already been done, then it is not done again', async () => {
      const { saga, calls } = checkoutLike();
      const { journal } = memoryJournal();

      const outcome = await resumeSaga(
        saga,
        { context: { orderId: 'o1' }, started: ['check', 'reserve', 'authorize'], done: ['check', 'reserve'], compensated: ['check', 'reserve'] },
        journal,
      );

      expect(outcome.status).to.equal('compensated');
      expect(calls).to.deep.equal(['undo authorize']);
    });

    it('when the step after the pivot fails again, then it stays pending', async () => {
      const { saga } = checkoutLike({ failRun: 'clear' });
      const outcome = await resumeSaga(saga, { context: { orderId: 'o1' }, started: ['check', 'reserve', 'authorize', 'create'], done: ['check', 'reserve', 'authorize', 'create'], compensated: [] }, memoryJournal().journal);
      expect(outcome).to.deep.include({ status: 'completing', pending: ['clear'] });
    });
  });
});
