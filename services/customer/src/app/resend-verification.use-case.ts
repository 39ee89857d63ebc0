import { customerVerificationRequested } from '@shop/contracts';
import { findCustomerByEmail } from '../db/customer.repository';
import { toEmail } from '../domain/email';
import type { CustomerDeps } from './deps';
import { issueVerificationLink } from './verification-link';

/**
 * Sends a new verification link to an unverified account. Answers the same whatever the address,
 * so nobody can probe which e-mails have accounts; the earlier link stops working.
 */
export async function resendVerification(deps: CustomerDeps, input: { email: string }): Promise<{ message: string }> {
  const answer = { message: 'If an unverified account exists for this address, a new verification e-mail is on its way.' };
  let email: string;
  try {
    email = toEmail(input.email);
  } catch {
    return answer;
  }
  const customer = await findCustomerByEmail(deps.db, email);
  if (!customer || customer.status !== 'unverified') return answer;
  await deps.transaction(async (tx) => {
    const link = await issueVerificationLink(deps, tx, customer);
    await deps.outbox.add(tx, customerVerificationRequested, {
      customerId: customer.id,
      email: customer.email,
      firstName: customer.firstName,
      ...link,
      requestedAt: deps.now().toISOString(),
    });
  });
  return answer;
}
