import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { Logger, TokenVerifier } from '@shop/platform';
import type { InventoryConfig } from '../config.js';
import type { InventoryDatabase } from '../db/schema.js';

/** What the inventory use cases need, built once in service.ts. */
export interface InventoryDeps {
  db: Kysely<InventoryDatabase>;
  transaction: RunInTransaction<InventoryDatabase>;
  outbox: Outbox;
  config: Readonly<InventoryConfig>;
  /** Verifies admin access tokens against the customer service's JWKS. */
  verifyToken: TokenVerifier;
  logger: Logger;
  now: () => Date;
}
