import { AppError } from '@shop/platform';

/** INV-CUST-001, as the client should show it. */
export const PASSWORD_RULES = ['at least 8 characters', 'at least one digit', 'at most 128 characters'] as const;

/** Throws PASSWORD_INVALID listing every rule and the ones the password breaks. */
export function assertValidPassword(password: string): void {
  const failed: string[] = [];
  if (password.length < 8) failed.push(PASSWORD_RULES[0]);
  if (!/\d/.test(password)) failed.push(PASSWORD_RULES[1]);
  if (password.length > 128) failed.push(PASSWORD_RULES[2]);
  if (failed.length > 0) {
    throw new AppError('PASSWORD_INVALID', 'the password does not meet the requirements', { rules: [...PASSWORD_RULES], failed });
  }
}
