import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Address, Money } from '@shop/contracts';
import { formatUtc, type MailContent } from './mail-content.js';
import { formatMoney } from './money.js';

/** A line of an order as the mails show it. */
export interface MailLine {
  name: string;
  sku: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/**
 * Every mail the worker sends and the facts it is written from. Dates are ISO-8601 strings: the
 * facts are kept as JSON until the mail is sent. Customer mails greet `firstName` (absent: no name).
 */
export interface MailFacts {
  /** The link is sealed (it holds the token) and opened only to write the mail. */
  'verification-email': { firstName?: string; reason: 'registered' | 'email-changed' | 'resend'; linkSealed: string; expiresAt: string };
  'email-changed-notice': { firstName?: string; newEmail: string; changedAt: string };
  'order-confirmation': {
    firstName?: string;
    orderId: string;
    orderNumber: string;
    lineItems: MailLine[];
    subtotal: Money;
    shippingCost: Money;
    tax: Money;
    totalAmount: Money;
    shippingAddress: Address;
    placedAt: string;
  };
  'order-shipped': { firstName?: string; orderId: string; orderNumber: string; carrier: string; trackingNumber: string; shippedAt: string };
  'order-delivered': { firstName?: string; orderId: string; orderNumber: string; deliveredAt: string };
  'order-cancelled': { firstName?: string; orderId: string; orderNumber: string; reason: string; lineItems: MailLine[]; refundAmount: Money; cancelledAt: string };
  'refund-completed': { firstName?: string; orderId: string; orderNumber: string; amount: Money; refundedAt: string };
  'payment-failed': { firstName?: string; orderId: string; orderNumber: string; amount: Money; reason: string; failedAt: string };
  'account-suspended': { firstName?: string; reason: string; suspendedAt: string };
  'cart-expired': { firstName?: string; lastActivityAt: string; expiredAt: string };
  'erasure-confirmation': { firstName?: string; erasedAt: string };
  'low-stock-alert': { productId: string; variantId: string; productName: string; sku: string; currentStock: number; threshold: number; triggeredAt: string };
  'out-of-stock-alert': { productId: string; variantId: string; productName: string; sku: string; triggeredAt: string };
  'refund-failed-alert': { orderId: string; orderNumber: string; paymentId: string; amount: Money; reason: string; failedAt: string };
  'unknown-tracking-alert': { trackingNumber: string; carrierStatus: string; receivedAt: string };
}

export type TemplateName = keyof MailFacts;

export const templateNames = [
  'verification-email',
  'email-changed-notice',
  'order-confirmation',
  'order-shipped',
  'order-delivered',
  'order-cancelled',
  'refund-completed',
  'payment-failed',
  'account-suspended',
  'cart-expired',
  'erasure-confirmation',
  'low-stock-alert',
  'out-of-stock-alert',
  'refund-failed-alert',
  'unknown-tracking-alert',
] as const satisfies readonly TemplateName[];

/** The shop as the mails name it and link to it. */
export interface ShopIdentity {
  shopName: string;
  /** The storefront's base URL: every link in a mail points below it. */
  publicBaseUrl: string;
}

export interface MailRendererOptions extends ShopIdentity {
  /** Opens a sealed secret of the facts; throws when it cannot (then the mail cannot be written). */
  openSecret: (sealed: string) => string;
}

export interface MailRenderer {
  /** The subject alone (kept with the queued mail, for the review list). */
  subject<T extends TemplateName>(template: T, facts: MailFacts[T]): string;
  render<T extends TemplateName>(template: T, facts: MailFacts[T]): MailContent;
}

const templatesDir = new URL('../templates/', import.meta.url);
const source = (file: string) => readFileSync(new URL(file, templatesDir), 'utf8');

/**
 * The mails, from Handlebars templates (`src/templates`): a subject, a text and an HTML body per
 * mail, each body inside the one shared layout. HTML escapes every value; the text and the subject
 * are plain text, not escaped. Compiled once, when the worker starts.
 */
export function createMailRenderer(options: MailRendererOptions): MailRenderer {
  const shop: ShopIdentity = { shopName: options.shopName, publicBaseUrl: options.publicBaseUrl };
  const html = Handlebars.create();
  const text = Handlebars.create();
  for (const instance of [html, text]) registerHelpers(instance, shop);
  html.registerPartial('lineTable', source('partials.line-table.html.hbs'));

  const compileText = (file: string) => text.compile(source(file), { noEscape: true, strict: true });
  const layouts = { html: html.compile(source('layout.html.hbs'), { strict: false }), text: text.compile(source('layout.text.hbs'), { noEscape: true }) };
  const compiled = new Map(
    templateNames.map((name) => [
      name,
      {
        subject: compileText(`${name}.subject.hbs`),
        text: compileText(`${name}.text.hbs`),
        html: html.compile(source(`${name}.html.hbs`), { strict: true }),
      },
    ]),
  );
  const templateOf = (name: TemplateName) => {
    const template = compiled.get(name);
    if (!template) throw new Error(`no mail template ${name}`);
    return template;
  };

  return {
    subject(name, facts) {
      // One line, whatever a value holds: a subject is a header.
      return templateOf(name).subject({ ...shop, ...facts }).replace(/\s+/g, ' ').trim();
    },
    render(name, facts) {
      const template = templateOf(name);
      const context = { ...shop, shopUrl: shop.publicBaseUrl, ...facts, ...secretsOf(name, facts, options.openSecret) };
      const subject = this.subject(name, facts);
      const firstName = (facts as { firstName?: string }).firstName;
      // Customer mails greet the customer, by name when it is known; staff alerts get to the point.
      const greeting = isStaffAlert(name) ? undefined : firstName ? `Hi ${firstName},` : 'Hello,';
      const frame = { ...context, subject, greeting };
      return {
        subject,
        text: layouts.text({ ...frame, body: template.text(context).trim() }).replace(/\n{3,}/g, '\n\n'),
        html: layouts.html({ ...frame, body: template.html(context) }),
      };
    },
  };
}

/** The verification link and its token, opened from the seal only while the mail is written. */
function secretsOf(name: TemplateName, facts: unknown, openSecret: (sealed: string) => string): { link: string; token: string } | undefined {
  if (name !== 'verification-email') return undefined;
  const link = openSecret((facts as MailFacts['verification-email']).linkSealed);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('the verification link is not a URL');
  }
  // Only web links go into a mail: a `javascript:` or `data:` URL must never become clickable.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('the verification link must be http(s)');
  return { link, token: url.searchParams.get('token') ?? '' };
}

export function isStaffAlert(template: TemplateName): boolean {
  return template.endsWith('-alert');
}

function registerHelpers(instance: typeof Handlebars, shop: ShopIdentity): void {
  instance.registerHelper('money', (money: Money) => formatMoney(money));
  instance.registerHelper('shipping', (cost: Money) => (cost.amount === 0 ? 'free' : formatMoney(cost)));
  instance.registerHelper('positive', (money: Money) => money.amount > 0);
  instance.registerHelper('when', (iso: string) => formatUtc(new Date(iso)));
  // Links below the storefront's base URL; the parts are ids and fixed paths. Resolved against the
  // base as a folder, so a storefront served below a path (https://host/shop) keeps that path.
  const base = new URL(shop.publicBaseUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  instance.registerHelper('url', (...args: unknown[]) => new URL(args.slice(0, -1).map(String).join('').replace(/^\/+/, ''), base).toString());
  instance.registerHelper('eq', function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a === b ? options.fn(this) : '';
  });
  instance.registerHelper('addressLines', (address: Address) => {
    const region = [address.state, address.postalCode].filter((part) => part !== '').join(' ');
    return [address.recipientName, address.street, `${address.city}, ${region}`, address.country];
  });
}
