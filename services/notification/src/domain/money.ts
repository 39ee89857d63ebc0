import type { Money } from '@shop/contracts';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * Money as a reader expects it in a mail, with its currency: `{ amount: 4820, currency: 'USD' }`
 * is `$48.20`. The amount is in the currency's minor units, so the number of them per major unit
 * comes from the currency (100 for USD and EUR, 1 for JPY, 1000 for KWD), not from a fixed 100.
 */
export function formatMoney(money: Money): string {
  const formatter = formatterFor(money.currency);
  const minorDigits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(money.amount / 10 ** minorDigits);
}
