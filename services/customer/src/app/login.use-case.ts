import { randomUUID } from 'node:crypto';
import { AppError } from '@shop/platform';
import { findCustomerByEmail } from '../db/customer.repository';
import { insertSession } from '../db/session.repository';
import { expiresAfter } from '../domain/tokens';
import type { CustomerDeps } from './deps';
import { toProfile } from './profile';
import { newTokenPair } from './session-tokens';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'the e-mail or password is wrong');

/**
 * SEQ-CUST-003: look the customer up, verify the password, check the status, open a session.
 * An unknown e-mail and a wrong password answer alike, in similar time.
 */
export async function login(deps: CustomerDeps, input: { email: string; password: string }) {
  const customer = await findCustomerByEmail(deps.db, input.email.trim().toLowerCase());
  if (!customer) {
    await deps.passwords.verifyNothing(input.password);
    throw invalidCredentials();
  }
  if (!(await deps.passwords.verify(customer.passwordHash, input.password))) throw invalidCredentials();
  if (customer.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'this account is suspended');

  const sessionId = randomUUID();
  const { pair, refreshTokenHash } = await newTokenPair(deps, { customerId: customer.id, role: customer.role, sessionId });
  await deps.transaction((tx) =>
    insertSession(tx, {
      id: sessionId,
      customerId: customer.id,
      expiresAt: expiresAfter(deps.now(), deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      refreshTokenHash,
    }),
  );
  deps.logger.info('customer logged in', { customerId: customer.id, sessionId });
  return { ...pair, customer: toProfile(customer) };
}
