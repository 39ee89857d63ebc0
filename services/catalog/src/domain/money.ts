import type { Money } from '@shop/contracts';
import { AppError } from '@shop/platform';

/** The smallest price the shop sells at (0.01 in a two-decimal currency) and a sane ceiling. */
export const MIN_PRICE_AMOUNT = 1;
export const MAX_PRICE_AMOUNT = 99_999_999_99;

/**
 * INV-PROD price >= 0.01: an integer amount of minor units in the shop's one currency. A foreign
 * currency is a malformed request (400), a price out of range breaks the rule (INVALID_PRICE).
 */
export function toPrice(price: Money, shopCurrency: string, field = 'price'): Money {
  if (price.currency !== shopCurrency) {
    throw new AppError('VALIDATION_ERROR', `prices are in ${shopCurrency}`, {
      fields: [{ field: `${field}.currency`, message: `must be ${shopCurrency}` }],
    });
  }
  if (!Number.isInteger(price.amount) || price.amount < MIN_PRICE_AMOUNT || price.amount > MAX_PRICE_AMOUNT) {
    throw new AppError('INVALID_PRICE', `${field} must be between ${MIN_PRICE_AMOUNT} and ${MAX_PRICE_AMOUNT} minor units`, {
      field,
      min: MIN_PRICE_AMOUNT,
      max: MAX_PRICE_AMOUNT,
    });
  }
  return { amount: price.amount, currency: shopCurrency };
}

export function samePrice(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}
