import type { Kysely, Transaction } from 'kysely';
import { wroteEvents, type Committed } from './outbox.js';

export type RunInTransaction<DB> = <T>(work: (tx: Transaction<DB>) => Promise<T>) => Promise<T>;

/**
 * The transaction helper use cases get: runs the work in one transaction and, after it commits,
 * tells the outbox relay whether there is something to publish (no waiting for the next poll, and
 * no look at the outbox for a transaction that wrote no event).
 */
export function transactionRunner<DB>(db: Kysely<DB>, afterCommit: (committed: Committed) => void = () => {}): RunInTransaction<DB> {
  return async (work) => {
    let committed: Committed = { wroteEvents: false };
    const result = await db.transaction().execute(async (tx) => {
      const done = await work(tx);
      committed = { wroteEvents: wroteEvents(tx) };
      return done;
    });
    afterCommit(committed);
    return result;
  };
}
