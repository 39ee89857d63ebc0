import { dropTestDatabases } from './databases';
import { runEndOfRun } from './run';
import { deleteTestVhost } from './vhost';

/** Root hooks: what a run started is stopped, and what it created on the shared servers removed, when it ends. */
export const mochaHooks = {
  async afterAll(this: { timeout(ms: number): void }) {
    this.timeout(60_000);
    await runEndOfRun();
    await dropTestDatabases();
    await deleteTestVhost();
  },
};
