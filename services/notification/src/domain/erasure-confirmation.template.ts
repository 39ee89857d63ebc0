import { escapeHtml, formatUtc, type MailContent } from './mail-content';

export interface ErasureConfirmationInput {
  shopName: string;
  /** Whom the mail greets; without it, a greeting without a name. */
  firstName?: string;
  erasedAt: Date;
}

export const ERASURE_CONFIRMATION_TEMPLATE = 'erasure-confirmation';

/**
 * The last mail to an erased customer's address: what was erased and when, what the shop keeps
 * (orders, without name, e-mail or address), and that the address itself is forgotten once this
 * mail is out. Every value is escaped in the HTML part.
 */
export function renderErasureConfirmation(input: ErasureConfirmationInput): MailContent {
  const greeting = input.firstName ? `Hi ${input.firstName},` : 'Hello,';
  const intro = `as you asked, we erased your personal data from ${input.shopName} on ${formatUtc(input.erasedAt)}.`;
  const facts = [
    'Your account is closed and you are signed out everywhere.',
    'Your name, e-mail address, saved addresses, password and cart are deleted.',
    'Your past orders are kept for our accounts with their items and totals only: without your name, e-mail address or shipping address.',
  ];
  const last = 'This is the last e-mail we send you: once it is out, we forget this address too. You are welcome to register again with it at any time.';
  const notYou = 'If you did not ask for this, please contact us.';

  const text = [greeting, '', intro, '', ...facts.map((fact) => `- ${fact}`), '', last, '', notYou, '', input.shopName, ''].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #222">
<p>${e(greeting)}</p>
<p>${e(intro)}</p>
<ul>
${facts.map((fact) => `<li>${e(fact)}</li>`).join('\n')}
</ul>
<p>${e(last)}</p>
<p>${e(notYou)}</p>
<p>${e(input.shopName)}</p>
</body>
</html>
`;

  return { subject: `Your ${input.shopName} account and personal data have been erased`, text, html };
}
