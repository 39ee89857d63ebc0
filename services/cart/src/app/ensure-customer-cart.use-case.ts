import { randomUUID } from 'node:crypto';
import type { Transaction } from '@shop/db';
import { ensureCustomerCart as ensure } from '../db/cart.repository.js';
import type { CartDatabase } from '../db/schema.js';

/** customer.registered: the new customer's one cart exists from now on (once, however often the event comes). */
export async function ensureCustomerCart(tx: Transaction<CartDatabase>, customerId: string): Promise<void> {
  await ensure(tx, randomUUID(), customerId);
}
