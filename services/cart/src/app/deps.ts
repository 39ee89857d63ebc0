import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { AnswerCache, Logger, TokenVerifier } from '@shop/platform';
import type { StockClient } from '../adapters/inventory.client.js';
import type { CartConfig } from '../config.js';
import type { CartDatabase } from '../db/schema.js';

/** What the cart use cases need, built once in service.ts. */
export interface CartDeps {
  db: Kysely<CartDatabase>;
  transaction: RunInTransaction<CartDatabase>;
  outbox: Outbox;
  config: Readonly<CartConfig>;
  /** Verifies customers' access tokens against the customer service's JWKS. */
  verifyToken: TokenVerifier;
  stock: StockClient;
  logger: Logger;
  now: () => Date;
  /** The cart answers (GET /cart) this replica keeps in memory. */
  answers: AnswerCache;
}
