import { dropTestDatabases } from './databases.js';
import { runEndOfRun } from './run.js';
import { deleteTestVhost } from './vhost.js';

/** Root hooks: what a run started is stopped, and what it created on the shared servers removed, when it ends. */
export const mochaHooks = {
  async afterAll(this: { timeout(ms: number): void }) {
    this.timeout(60_000);
    await runEndOfRun();
    await dropTestDatabases();
    await deleteTestVhost();
  },
};
