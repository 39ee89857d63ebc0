import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import type { Logger, TokenVerifier } from '@shop/platform';
import type { CartClient } from '../adapters/cart.client.js';
import type { CustomerClient } from '../adapters/customer.client.js';
import type { InventoryClient } from '../adapters/inventory.client.js';
import type { PaymentClient } from '../adapters/payment.client.js';
import type { OrderConfig } from '../config.js';
import type { OrderDatabase } from '../db/schema.js';

/** What the order use cases need, built once in service.ts. */
export interface OrderDeps {
  db: Kysely<OrderDatabase>;
  transaction: RunInTransaction<OrderDatabase>;
  outbox: Outbox;
  config: Readonly<OrderConfig>;
  verifyToken: TokenVerifier;
  customers: CustomerClient;
  carts: CartClient;
  inventory: InventoryClient;
  payments: PaymentClient;
  logger: Logger;
  now: () => Date;
  /** Asks the abandoned-orders job for a round now (after a payment event that may have given it work). */
  wakeAbandonedOrders: () => void;
}
