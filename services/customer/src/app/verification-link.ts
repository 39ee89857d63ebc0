import type { Transaction } from '@shop/db';
import { sealSecret } from '@shop/platform';
import type { CustomerDatabase } from '../db/schema.js';
import { recordVerificationMail } from '../db/throttle.repository.js';
import { replaceVerificationToken } from '../db/verification-token.repository.js';
import { expiresAfter, hashToken, newOpaqueToken } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';

/**
 * A fresh single-use verification token for the customer's current e-mail (older unused ones are
 * superseded). Only its hash is stored; the link with the token travels once, sealed for the
 * notification worker (MAIL_SEAL_KEY), so no event, outbox row or parked message holds it readable.
 */
export async function issueVerificationLink(
  deps: CustomerDeps,
  tx: Transaction<CustomerDatabase>,
  customer: { id: string; email: string },
): Promise<{ verificationLinkSealed: string; verificationExpiresAt: string }> {
  const verificationToken = newOpaqueToken();
  const expiresAt = expiresAfter(deps.now(), deps.config.VERIFICATION_TOKEN_TTL_HOURS * 3_600_000);
  await replaceVerificationToken(tx, { hash: hashToken(verificationToken), customerId: customer.id, email: customer.email, expiresAt });
  // Counted against the address's resend limits, whatever asked for the mail.
  await recordVerificationMail(tx, hashToken(customer.email), deps.now());
  // The storefront's page, below its base whatever path it has (`https://host/shop` -> `https://host/shop/verify`).
  const url = new URL(deps.config.VERIFY_EMAIL_PATH.replace(/^\/+/, ''), deps.config.PUBLIC_BASE_URL.replace(/\/*$/, '/'));
  url.searchParams.set('token', verificationToken);
  return { verificationLinkSealed: sealSecret(deps.config.MAIL_SEAL_KEY, url.toString()), verificationExpiresAt: expiresAt.toISOString() };
}
