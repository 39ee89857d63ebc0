import { customerVerificationRequested } from '@shop/contracts';
import { findCustomerByEmail } from '../db/customer.repository.js';
import { verificationMailsSince } from '../db/throttle.repository.js';
import { customerAggregate } from '../domain/customer.js';
import { toEmail } from '../domain/email.js';
import { mayResendVerification } from '../domain/limits.js';
import { hashToken } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';
import { issueVerificationLink } from './verification-link.js';

const DAY_MS = 86_400_000;

/**
 * Sends a new verification link to an unverified account, at most one a minute and five a day per
 * address (the registration's mail counts). Answers the same, in the same time, whatever the
 * address: the work runs after the answer, so nobody can probe which e-mails have accounts.
 */
export async function resendVerification(deps: CustomerDeps, input: { email: string }): Promise<{ message: string }> {
  const answer = { message: 'If an unverified account exists for this address, a new verification e-mail is on its way.' };
  let email: string;
  try {
    email = toEmail(input.email);
  } catch {
    return answer;
  }
  void sendAnotherLink(deps, email).catch((err: unknown) => deps.logger.warn('verification resend failed', { error: String(err) }));
  return answer;
}

async function sendAnotherLink(deps: CustomerDeps, email: string): Promise<void> {
  await deps.transaction(async (tx) => {
    // Locked, so resends racing for one address count each other's mails.
    const customer = await findCustomerByEmail(tx, email, { forUpdate: true });
    if (!customer || customer.status !== 'unverified') return;
    const now = deps.now();
    const sent = await verificationMailsSince(tx, hashToken(email), new Date(now.getTime() - DAY_MS));
    const limit = { intervalSeconds: deps.config.VERIFICATION_RESEND_INTERVAL_SECONDS, dailyLimit: deps.config.VERIFICATION_RESEND_DAILY_LIMIT };
    if (!mayResendVerification(sent, limit, now)) {
      deps.logger.info('verification resend skipped: limit reached', { customerId: customer.id });
      return;
    }
    const link = await issueVerificationLink(deps, tx, customer);
    await deps.outbox.add(
      tx,
      customerVerificationRequested,
      { customerId: customer.id, email: customer.email, firstName: customer.firstName, ...link, requestedAt: now.toISOString() },
      customerAggregate(customer),
    );
  });
}
