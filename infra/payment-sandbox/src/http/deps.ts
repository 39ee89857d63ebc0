import type { Kysely } from '@shop/db';
import type { Logger } from '@shop/platform';
import type { SandboxDatabase } from '../db/schema.js';

/** What the provider's API runs on. */
export interface ApiDeps {
  db: Kysely<SandboxDatabase>;
  logger: Logger;
  /** The X-Api-Key clients must send; it also keys the hash of idempotent requests. */
  apiKey: string;
  /** Where a shopper's browser reaches the sandbox (PUBLIC_URL): approval pages are under it. */
  publicUrl: string;
  now: () => Date;
  /** Called after a change that stored webhook events committed: the delivery job sends them at once. */
  afterCommit: () => void;
}
