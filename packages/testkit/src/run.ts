import { randomBytes } from 'node:crypto';

/** Names every resource of this test run, so parallel runs on one machine never collide. */
export const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const AMQP_BASE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const RABBITMQ_MANAGEMENT_URL = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';

const atEnd: Array<() => Promise<void>> = [];

/** Registers work for the end of the test run (or of the file, in parallel mode), before databases and vhost go. */
export function atRunEnd(cleanup: () => Promise<void>): void {
  atEnd.push(cleanup);
}

/** Runs the registered end-of-run work, newest first. */
export async function runEndOfRun(): Promise<void> {
  for (const cleanup of atEnd.splice(0).reverse()) await cleanup().catch(() => undefined);
}
