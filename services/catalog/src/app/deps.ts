import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { AnswerCache, Logger, TokenVerifier } from '@shop/platform';
import type { CatalogConfig } from '../config.js';
import type { CatalogDatabase } from '../db/schema.js';

/** What the catalog use cases need, built once in service.ts. */
export interface CatalogDeps {
  db: Kysely<CatalogDatabase>;
  /** Runs work in one transaction; once it commits, this replica's kept answers are dropped. */
  transaction: RunInTransaction<CatalogDatabase>;
  outbox: Outbox;
  config: Readonly<CatalogConfig>;
  /** Verifies access tokens against the customer service's JWKS. */
  verifyToken: TokenVerifier;
  logger: Logger;
  now: () => Date;
  /** The shopper answers this replica keeps in memory. */
  answers: AnswerCache;
}
