import type { Kysely } from '@shop/db';
import type { SandboxDatabase } from '../db/schema.js';

/** What use cases run against: the transaction of the request and its clock. */
export interface UseCaseContext {
  tx: Kysely<SandboxDatabase>;
  now: Date;
}
