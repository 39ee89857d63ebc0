import type { Money } from '@shop/contracts';
import { AppError } from '@shop/platform';

export interface PricingRules {
  currency: string;
  /** Flat shipping in minor units, unless the subtotal reaches `freeShippingFrom`. */
  shippingFlat: number;
  freeShippingFrom: number;
  /** A fraction: 0.08 is 8%. */
  taxRate: number;
}

export interface PricedLine {
  quantity: number;
  unitPrice: Money;
}

export interface OrderTotals {
  subtotal: Money;
  shippingCost: Money;
  tax: Money;
  total: Money;
}

/**
 * SEQ-ORDER-001 step 5: subtotal of the lines, flat shipping below the free-shipping threshold,
 * tax on the subtotal rounded half up to the minor unit. Two lines at 20.00: 40.00 + 5.00 + 3.20.
 */
export function priceOrder(lines: readonly PricedLine[], rules: PricingRules): OrderTotals {
  for (const line of lines) {
    if (line.unitPrice.currency !== rules.currency) throw new Error(`a line is priced in ${line.unitPrice.currency}, the shop sells in ${rules.currency}`);
  }
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0);
  const shippingCost = subtotal >= rules.freeShippingFrom ? 0 : rules.shippingFlat;
  const tax = taxOf(subtotal, rules.taxRate);
  const money = (amount: number): Money => ({ amount, currency: rules.currency });
  return { subtotal: money(subtotal), shippingCost: money(shippingCost), tax: money(tax), total: money(subtotal + shippingCost + tax) };
}

/**
 * Tax rounded half up to the minor unit. The rate is taken in millionths (0.08 -> 80000) so the
 * product is exact integer arithmetic: 0.1 + 0.2 float noise never decides a cent.
 */
export function taxOf(subtotal: number, rate: number): number {
  const millionths = Math.round(rate * 1_000_000);
  return Math.floor((subtotal * millionths + 500_000) / 1_000_000);
}

/** Shipping is domestic only (API.md): an address in another country cannot be shipped to. */
export function assertDomestic(address: { country: string }, shopCountry: string): void {
  if (address.country.toUpperCase() !== shopCountry.toUpperCase()) {
    throw new AppError('INTERNATIONAL_SHIPPING_NOT_AVAILABLE', `the shop only ships within ${shopCountry}`, { country: address.country, shopCountry });
  }
}
