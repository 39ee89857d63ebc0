import { AppError } from '@shop/platform';
import { escapeHtml, formatUtc, type MailContent } from './mail-content';

/** Why the customer gets a verification mail. */
export type VerificationReason = 'registered' | 'email-changed' | 'resend';

export interface VerificationEmailInput {
  shopName: string;
  firstName: string;
  verificationUrl: string;
  verificationToken: string;
  /** When the link stops working, as the customer service decided. */
  expiresAt: Date;
  reason: VerificationReason;
}

export const VERIFICATION_EMAIL_TEMPLATE = 'verification-email';

const wording: Record<VerificationReason, { subject: (shop: string) => string; intro: (shop: string) => string }> = {
  registered: {
    subject: (shop) => `Welcome to ${shop}: please confirm your e-mail address`,
    intro: (shop) => `thank you for registering with ${shop}. Please confirm your e-mail address to finish setting up your account.`,
  },
  'email-changed': {
    subject: (shop) => `Confirm your new e-mail address for ${shop}`,
    intro: (shop) => `you changed the e-mail address of your ${shop} account to this one. Please confirm it.`,
  },
  resend: {
    subject: (shop) => `Your new ${shop} verification link`,
    intro: (shop) => `here is the new link you asked for to confirm your e-mail address with ${shop}.`,
  },
};

/**
 * The mail that asks a customer to confirm an address: the link, the token itself for when the
 * link cannot be opened, and when the link expires. Every value is escaped in the HTML part.
 */
export function renderVerificationEmail(input: VerificationEmailInput): MailContent {
  assertWebLink(input.verificationUrl);
  const { subject, intro } = wording[input.reason];
  const expiry = `The link expires on ${formatUtc(input.expiresAt)}.`;
  const ignore = 'If you did not ask for this, you can ignore this e-mail.';

  const text = [
    `Hi ${input.firstName},`,
    '',
    intro(input.shopName),
    '',
    input.verificationUrl,
    '',
    `If the link does not open, enter this verification code: ${input.verificationToken}`,
    '',
    expiry,
    ignore,
    '',
    input.shopName,
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #222">
<p>Hi ${e(input.firstName)},</p>
<p>${e(intro(input.shopName))}</p>
<p><a href="${e(input.verificationUrl)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #fff; text-decoration: none; border-radius: 4px">Confirm my e-mail address</a></p>
<p>Or open this link: <a href="${e(input.verificationUrl)}">${e(input.verificationUrl)}</a></p>
<p>If the link does not open, enter this verification code: <code>${e(input.verificationToken)}</code></p>
<p>${e(expiry)}<br>${e(ignore)}</p>
<p>${e(input.shopName)}</p>
</body>
</html>
`;

  return { subject: subject(input.shopName), text, html };
}

/** Only web links go into a mail: a `javascript:` or `data:` URL must never become clickable. */
function assertWebLink(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new AppError('VALIDATION_ERROR', 'verification link is not a URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new AppError('VALIDATION_ERROR', 'verification link must be http(s)');
}
