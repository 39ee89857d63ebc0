import { dropTestDatabases } from './databases';
import { deleteTestVhost } from './vhost';

/** Root hooks: whatever a test run created on the shared servers is removed when it ends. */
export const mochaHooks = {
  async afterAll(this: { timeout(ms: number): void }) {
    this.timeout(60_000);
    await dropTestDatabases();
    await deleteTestVhost();
  },
};
