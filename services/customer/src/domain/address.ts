import type { Address } from '@shop/contracts';
import { AppError } from '@shop/platform';

/** Postal code formats of countries the shop may be configured for; others get a loose check. */
const postalCodeFormats: Record<string, RegExp> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/i,
  AU: /^\d{4}$/,
};
const anyPostalCode = /^[A-Z\d][A-Z\d -]{1,8}[A-Z\d]$/i;

/** A shipping address as the customer gives it; the same shape the events carry. */
export type AddressInput = Address;

/** Shipping is domestic only (API.md): the address must be in the shop's country with a valid postal code. */
export function toShippingAddress(input: AddressInput, shopCountry: string): AddressInput {
  const address = normalizeAddress(input);
  if (address.country !== shopCountry) {
    throw new AppError('COUNTRY_NOT_SUPPORTED', `the shop only ships to ${shopCountry}`, { supportedCountries: [shopCountry] });
  }
  return address;
}

/**
 * An address trimmed, its country and postal code upper-cased, the postal code checked against
 * its country's format. Whether the shop ships there is for the caller to judge.
 */
export function normalizeAddress(input: AddressInput): AddressInput {
  const country = input.country.trim().toUpperCase();
  const postalCode = input.postalCode.trim().toUpperCase();
  if (!(postalCodeFormats[country] ?? anyPostalCode).test(postalCode)) {
    throw new AppError('INVALID_POSTAL_CODE', `"${postalCode}" is not a valid postal code for ${country}`);
  }
  return {
    recipientName: input.recipientName.trim(),
    street: input.street.trim(),
    city: input.city.trim(),
    state: input.state.trim(),
    postalCode,
    country,
  };
}

/** How many addresses a customer may keep. */
export const MAX_ADDRESSES = 20;

/** A customer with MAX_ADDRESSES addresses must remove one before adding another. */
export function assertRoomForAddress(existing: number): void {
  if (existing >= MAX_ADDRESSES) {
    throw new AppError('ADDRESS_LIMIT_REACHED', `a customer can keep at most ${MAX_ADDRESSES} addresses`, { limit: MAX_ADDRESSES });
  }
}
