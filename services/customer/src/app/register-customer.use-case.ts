import { randomUUID } from 'node:crypto';
import { customerRegistered } from '@shop/contracts';
import { AppError } from '@shop/platform';
import { emailTaken, insertCustomer } from '../db/customer.repository.js';
import { customerAggregate, toName } from '../domain/customer.js';
import { toEmail } from '../domain/email.js';
import { assertValidPassword } from '../domain/password.js';
import type { CustomerDeps } from './deps.js';
import { issueVerificationLink } from './verification-link.js';

export interface RegisterCustomerInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

/**
 * SEQ-CUST-001: validate the password, check the e-mail is free, create the customer unverified,
 * and (through the outbox) have the verification e-mail sent and the cart created.
 */
export async function registerCustomer(deps: CustomerDeps, input: RegisterCustomerInput) {
  const email = toEmail(input.email);
  assertValidPassword(input.password);
  const firstName = toName(input.firstName, 'firstName');
  const lastName = toName(input.lastName, 'lastName');
  await assertEmailFree(deps, email);
  const passwordHash = await deps.passwords.hash(input.password);

  const customer = await deps.transaction(async (tx) => {
    const created = await insertCustomer(tx, { id: randomUUID(), email, firstName, lastName, status: 'unverified', role: 'customer', passwordHash });
    const link = await issueVerificationLink(deps, tx, created);
    await deps.outbox.add(tx, customerRegistered, {
      customerId: created.id,
      email,
      firstName,
      lastName,
      ...link,
      registeredAt: created.createdAt.toISOString(),
    }, customerAggregate(created));
    return created;
  });
  deps.logger.info('customer registered', { customerId: customer.id });
  return {
    customerId: customer.id,
    status: customer.status,
    message: 'Registration received. Check your e-mail for a link to verify your address.',
  };
}

/** Checked before hashing (hashing is the slow part); the unique index still decides races. */
async function assertEmailFree(deps: CustomerDeps, email: string) {
  if (await emailTaken(deps.db, email)) throw new AppError('EMAIL_EXISTS', 'an account with this e-mail already exists');
}
