import type { Money } from '@shop/contracts';

// A formatter per currency, with the currency's minor digits: both cost an ICU look-up to make.
const formatters = new Map<string, { formatter: Intl.NumberFormat; minorDigits: number }>();

function formatterFor(currency: string): { formatter: Intl.NumberFormat; minorDigits: number } {
  let entry = formatters.get(currency);
  if (!entry) {
    const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    entry = { formatter, minorDigits: formatter.resolvedOptions().maximumFractionDigits ?? 2 };
    formatters.set(currency, entry);
  }
  return entry;
}

/**
 * Money as a reader expects it in a mail, with its currency: `{ amount: 4820, currency: 'USD' }`
 * is `$48.20`. The amount is in the currency's minor units, so the number of them per major unit
 * comes from the currency (100 for USD and EUR, 1 for JPY, 1000 for KWD), not from a fixed 100.
 */
export function formatMoney(money: Money): string {
  const { formatter, minorDigits } = formatterFor(money.currency);
  return formatter.format(money.amount / 10 ** minorDigits);
}
