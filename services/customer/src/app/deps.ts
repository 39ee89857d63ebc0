import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { Logger } from '@shop/platform';
import type { CustomerConfig } from '../config.js';
import type { CustomerDatabase } from '../db/schema.js';
import type { AccessTokens } from '../adapters/access-tokens.js';
import type { Passwords } from '../adapters/passwords.js';

/** What the customer use cases need, built once in service.ts. */
export interface CustomerDeps {
  db: Kysely<CustomerDatabase>;
  transaction: RunInTransaction<CustomerDatabase>;
  outbox: Outbox;
  config: Readonly<CustomerConfig>;
  tokens: AccessTokens;
  passwords: Passwords;
  logger: Logger;
  now: () => Date;
}
