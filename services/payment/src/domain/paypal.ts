import { AppError } from '@shop/platform';
import type { Payment } from './payment.js';

/**
 * PayPal-style payments: the shopper's browser is sent to the provider's approval page and comes
 * back to the shop's return or cancel page. Where it comes back to is the shop's to say: only
 * http(s) pages on the shop's own origins, so the provider can never be made to send a shopper
 * to a `javascript:` URL or to someone else's site.
 */

/** `https://shop.example:443/a` -> `https://shop.example`; undefined when it is no http(s) URL. */
export function httpOriginOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // Credentials in a URL are a classic disguise (`https://shop.example@evil.example`); none is needed.
  if (parsed.username || parsed.password) return undefined;
  return parsed.origin;
}

/** Whether the shopper may be sent back to this URL: http(s), and on one of the shop's origins. */
export function isAllowedReturnUrl(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = httpOriginOf(url);
  return origin !== undefined && allowedOrigins.includes(origin);
}

/** 400 VALIDATION_ERROR naming each of `returnUrl` and `cancelUrl` that is not an allowed return URL. */
export function assertReturnUrls(urls: { returnUrl: string; cancelUrl: string }, allowedOrigins: readonly string[]): void {
  const fields = (['returnUrl', 'cancelUrl'] as const)
    .filter((field) => !isAllowedReturnUrl(urls[field], allowedOrigins))
    .map((field) => ({ field, message: `"${field}" must be an http(s) URL on one of the shop's origins` }));
  if (fields.length > 0) throw new AppError('VALIDATION_ERROR', 'the return and cancel pages must be on the shop', { fields });
}

/**
 * The PayPal payment a customer may be sent to the provider for: their own order's, paid with
 * PayPal (anything else is 404 PAYMENT_NOT_FOUND, as if it did not exist), and still awaiting
 * approval (409 CONFLICT once approved, cancelled, expired or withdrawn).
 */
export function assertApprovable(payment: Payment | undefined, customerId: string, orderId: string): asserts payment is Payment {
  if (!payment || payment.customerId !== customerId || payment.method !== 'paypal') {
    throw new AppError('PAYMENT_NOT_FOUND', 'this order has no PayPal payment of yours', { orderId });
  }
  if (payment.status !== 'awaiting_approval') {
    throw new AppError('CONFLICT', 'the payment of this order no longer awaits approval', { orderId, status: payment.status });
  }
}

/**
 * When a shopper's approval whose capture webhook has not come is taken as captured by asking the
 * provider: `waitMs` after the provider says it was approved (the webhook is overdue by then).
 */
export function captureConfirmationDueAt(approvedAt: Date, waitMs: number): Date {
  return new Date(approvedAt.getTime() + waitMs);
}
