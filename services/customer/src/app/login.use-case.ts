import { randomUUID } from 'node:crypto';
import { customerLoggedIn } from '@shop/contracts';
import { AppError, sleep } from '@shop/platform';
import { findCustomerByEmail } from '../db/customer.repository.js';
import { insertSession } from '../db/session.repository.js';
import { clearLoginFailures, findLoginFailures, recordLoginFailure } from '../db/throttle.repository.js';
import { customerAggregate } from '../domain/customer.js';
import { assertLoginAllowed, type LoginFailureLimit } from '../domain/limits.js';
import { expiresAfter, hashToken } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';
import { toProfile } from './profile.js';
import { newTokenPair } from './session-tokens.js';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'the e-mail or password is wrong');

/**
 * SEQ-CUST-003: look the customer up, verify the password, check the status, open a session, and
 * have a guest cart named by the login merged into the customer's (customer.logged-in).
 * An unknown e-mail and a wrong password answer alike, in similar time, and count alike towards
 * the address's throttle: after LOGIN_MAX_FAILURES failures in the window, every login for the
 * address answers 429 until the window ends, from whatever IP.
 */
export async function login(deps: CustomerDeps, input: { email: string; password: string; guestCartId?: string }) {
  const email = input.email.trim().toLowerCase();
  const emailHash = hashToken(email);
  const limit: LoginFailureLimit = { maxFailures: deps.config.LOGIN_MAX_FAILURES, windowSeconds: deps.config.LOGIN_FAILURE_WINDOW_SECONDS };
  const failures = await findLoginFailures(deps.db, emailHash);
  assertLoginAllowed(failures, limit, deps.now());

  const customer = await findCustomerByEmail(deps.db, email);
  const passwordRight = customer ? await deps.passwords.verify(customer.passwordHash, input.password) : await deps.passwords.verifyNothing(input.password);
  if (!customer || !passwordRight) {
    await recordLoginFailure(deps.db, emailHash, deps.now(), limit.windowSeconds);
    throw invalidCredentials();
  }
  if (customer.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'this account is suspended');
  if (failures) await clearLoginFailures(deps.db, emailHash);
  await waitPastInvalidation(customer.tokensNotBefore, deps.now());

  const sessionId = randomUUID();
  const { pair, refreshTokenHash } = await newTokenPair(deps, { customerId: customer.id, role: customer.role, sessionId });
  await deps.transaction(async (tx) => {
    await insertSession(tx, {
      id: sessionId,
      customerId: customer.id,
      expiresAt: expiresAfter(deps.now(), deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      refreshTokenHash,
    });
    // The cart service merges the guest cart the shopper filled before logging in.
    if (input.guestCartId) {
      await deps.outbox.add(tx, customerLoggedIn, { customerId: customer.id, guestCartId: input.guestCartId, loggedInAt: deps.now().toISOString() }, customerAggregate(customer));
    }
  });
  deps.logger.info('customer logged in', { customerId: customer.id, sessionId });
  return { ...pair, customer: toProfile(customer) };
}

/**
 * Tokens carry their issue time in whole seconds, and one from the second of an invalidation
 * counts as older than it (issuedBefore). A login right after one (a suspension lifted at once)
 * waits for the next second, so its token is not born outlawed.
 */
async function waitPastInvalidation(notBefore: Date | null, now: Date): Promise<void> {
  if (!notBefore) return;
  const nextSecond = Math.ceil(notBefore.getTime() / 1_000) * 1_000;
  if (nextSecond > now.getTime()) await sleep(nextSecond - now.getTime());
}
