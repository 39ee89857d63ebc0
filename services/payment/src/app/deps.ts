import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { Logger, TokenVerifier } from '@shop/platform';
import type { PaymentConfig } from '../config.js';
import type { PaymentDatabase } from '../db/schema.js';
import type { PaymentProvider } from './payment-provider.js';

/** What the payment use cases need, built once in service.ts. */
export interface PaymentDeps {
  db: Kysely<PaymentDatabase>;
  transaction: RunInTransaction<PaymentDatabase>;
  outbox: Outbox;
  config: Readonly<PaymentConfig>;
  provider: PaymentProvider;
  /** Verifies the customer's access token on the public route (POST /payments/paypal). */
  verifyToken: TokenVerifier;
  logger: Logger;
  now: () => Date;
  /** Asks the provider job (captures, voids, refunds, expired approvals) for a round now (after a commit that gave it work). */
  wakeProviderJob: () => void;
}
