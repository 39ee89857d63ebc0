import type { Kysely, Transaction } from 'kysely';

export type RunInTransaction<DB> = <T>(work: (tx: Transaction<DB>) => Promise<T>) => Promise<T>;

/**
 * The transaction helper use cases get: runs the work in one transaction and, after it commits,
 * tells the outbox relay there may be something to publish (no waiting for the next poll).
 */
export function transactionRunner<DB>(db: Kysely<DB>, afterCommit: () => void = () => {}): RunInTransaction<DB> {
  return async (work) => {
    const result = await db.transaction().execute(work);
    afterCommit();
    return result;
  };
}
