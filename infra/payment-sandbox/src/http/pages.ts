import type { Money } from '../authorization.js';
import type { PaypalApproval } from '../paypal.js';

/** Markup built by `html`: its own text is trusted, everything put into it was escaped. */
export class SafeHtml {
  constructor(readonly text: string) {}
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return value === undefined || value === null || value === false ? '' : escapeHtml(String(value));
}

/**
 * A template whose every interpolated value is escaped (text and double-quoted attribute values
 * alike), unless it is markup `html` made itself: a reference or URL the merchant sent can never
 * become markup on the shopper's page.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, text, i) => out + text + (i < values.length ? render(values[i]) : ''), ''));
}

/** Minor units as a shopper reads them, by the currency's own decimals: 2500 USD is "$25.00 USD". */
export function formatMoney(money: Money): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return `${format.format(money.amount / 10 ** decimals)} ${money.currency}`;
}

// Inline only: the page loads nothing from anywhere.
const STYLE = `body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1a1a1a;margin:0}
main{max-width:28rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
h1{font-size:1.4rem;margin-top:0}dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
form{display:inline-block;margin:1rem 1rem 0 0}button{font-size:1rem;padding:.6rem 1.4rem;border-radius:4px;border:1px solid #003087;cursor:pointer}
.approve{background:#003087;color:#fff}.cancel{background:#fff;color:#003087}.note{color:#777;font-size:.85rem;margin-top:2rem}`;

function layout(title: string, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} - Sandbox PayPal</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
${content}
<p class="note">Sandbox PayPal: a stand-in for a wallet provider. No real money moves.</p>
</main>
</body>
</html>
`.text;
}

function details(approval: PaypalApproval): SafeHtml {
  return html`<dl>
<dt>Amount</dt><dd id="amount">${formatMoney(approval.amount)}</dd>
<dt>Reference</dt><dd id="reference">${approval.reference}</dd>
</dl>`;
}

/**
 * The page the shopper's browser is sent to: while the approval awaits them, the amount, the
 * merchant's reference and the two buttons (forms posting to `<approvalUrl>/approve` and
 * `/cancel`); afterwards, what became of it.
 */
export function approvalPage(approval: PaypalApproval, approvalUrl: string): string {
  if (approval.status === 'awaiting_approval') {
    return layout(
      'Approve your payment',
      html`<h1>Approve your payment</h1>
${details(approval)}
<form method="post" action="${approvalUrl}/approve"><button type="submit" class="approve">Approve</button></form>
<form method="post" action="${approvalUrl}/cancel"><button type="submit" class="cancel">Cancel</button></form>`,
    );
  }
  if (approval.status === 'approved') {
    return layout('Payment approved', html`<h1>Payment approved</h1>${details(approval)}<p><a href="${approval.returnUrl}">Return to the merchant</a></p>`);
  }
  if (approval.cancelledBy === 'merchant') {
    return layout('Payment withdrawn', html`<h1>Payment withdrawn</h1>${details(approval)}<p>The merchant withdrew this payment.</p>`);
  }
  return layout('Payment cancelled', html`<h1>Payment cancelled</h1>${details(approval)}<p><a href="${approval.cancelUrl}">Return to the merchant</a></p>`);
}

const TITLES: Readonly<Record<number, string>> = { 400: 'Not a valid request', 404: 'Payment not found', 409: 'This payment cannot be changed', 413: 'Request too large' };

/** A refusal or failure as a page the shopper can read; the message is the provider's, escaped. */
export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Not possible');
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return layout(title, html`<h1>${title}</h1><p id="message">${sentence}.</p>`);
}
