import { randomUUID } from 'node:crypto';
import { findCustomerByEmail, insertCustomer } from '../db/customer.repository.js';
import { toEmail } from '../domain/email.js';
import type { CustomerDeps } from './deps.js';

/**
 * Creates the bootstrap admin from ADMIN_EMAIL / ADMIN_PASSWORD when no account has that e-mail.
 * An existing account is left alone: the password in the environment never overwrites a changed one.
 */
export async function ensureAdmin(deps: CustomerDeps, input: { email: string; password: string }): Promise<void> {
  const email = toEmail(input.email);
  if (await findCustomerByEmail(deps.db, email)) return;
  const passwordHash = await deps.passwords.hash(input.password);
  try {
    await insertCustomer(deps.db, { id: randomUUID(), email, firstName: 'Shop', lastName: 'Admin', status: 'verified', role: 'admin', passwordHash, verifiedAt: deps.now() });
    deps.logger.info('bootstrap admin created', { email });
  } catch (err) {
    // Another replica created it first.
    if ((err as { code?: string }).code !== 'EMAIL_EXISTS') throw err;
  }
}
