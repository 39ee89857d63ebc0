/**
 * The card rules of the sandbox: pure functions over what a client sent, no I/O. The card number
 * and CVC go no further than these functions: what leaves them is a brand, the last four digits
 * and a verdict.
 */

export type Brand = 'visa' | 'mastercard' | 'amex' | 'unknown';

export interface Card {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** Why an authorization was declined: the `error.code` of its 402 answer. */
export type DeclineCode = 'incorrect_number' | 'unsupported_card' | 'expired_card' | 'card_declined' | 'insufficient_funds';

/** What an authorized test card does later: its capture, or its refunds, fail. */
export type LaterFailure = 'capture_fails' | 'refund_fails';

export type CardVerdict =
  | { outcome: 'provider_error' }
  | { outcome: 'declined'; code: DeclineCode; brand: Brand; last4: string | null }
  | { outcome: 'authorized'; brand: Brand; last4: string; laterFailure: LaterFailure | null };

/** The test cards (API.md), as a client would type them. */
export const TEST_CARDS = {
  approved: '4242424242424242',
  approvedMastercard: '5555555555554444',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
  amex: '378282246310005',
  captureFails: '4000000000000341',
  refundFails: '4000000000000259',
} as const;

const SCRIPTED_DECLINES: Readonly<Record<string, DeclineCode>> = {
  [TEST_CARDS.declined]: 'card_declined',
  [TEST_CARDS.insufficientFunds]: 'insufficient_funds',
};

const SCRIPTED_LATER_FAILURES: Readonly<Record<string, LaterFailure>> = {
  [TEST_CARDS.captureFails]: 'capture_fails',
  [TEST_CARDS.refundFails]: 'refund_fails',
};

const SUPPORTED_BRANDS: ReadonlySet<Brand> = new Set(['visa', 'mastercard']);

/** Whether the number is 12 to 19 digits whose Luhn checksum holds. */
export function isLuhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card network, by the number's leading digits (IIN ranges). */
export function brandOf(number: string): Brand {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^4/.test(number)) return 'visa';
  if (/^5[1-5]/.test(number)) return 'mastercard';
  const first4 = Number(number.slice(0, 4));
  if (/^2\d{3}/.test(number) && first4 >= 2221 && first4 <= 2720) return 'mastercard';
  return 'unknown';
}

/**
 * The last four digits, to show the cardholder which card it was. Undefined for something too
 * short to be a card number: its "last four" could be most of what was typed.
 */
export function last4Of(number: string): string | null {
  return /^\d{12,19}$/.test(number) ? number.slice(-4) : null;
}

/** A card is good through the last day of its expiry month (UTC). */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}

/**
 * What the provider makes of a card, checked in this order: the card that makes the provider
 * fail, the Luhn check, the brand (American Express and unknown networks are not accepted), the
 * expiry, the cards scripted to decline; anything else authorizes.
 */
export function assessCard(card: Card, now: Date): CardVerdict {
  const { number } = card;
  if (number === TEST_CARDS.processingError) return { outcome: 'provider_error' };
  const brand = brandOf(number);
  const last4 = last4Of(number);
  if (!isLuhnValid(number) || last4 === null) return { outcome: 'declined', code: 'incorrect_number', brand, last4 };
  if (!SUPPORTED_BRANDS.has(brand)) return { outcome: 'declined', code: 'unsupported_card', brand, last4 };
  if (isExpired(card.expMonth, card.expYear, now)) return { outcome: 'declined', code: 'expired_card', brand, last4 };
  const scripted = SCRIPTED_DECLINES[number];
  if (scripted) return { outcome: 'declined', code: scripted, brand, last4 };
  return { outcome: 'authorized', brand, last4, laterFailure: SCRIPTED_LATER_FAILURES[number] ?? null };
}
