import { createHash, randomBytes } from 'node:crypto';

/** A guest's cart token: 256 random bits, URL-safe; the cart keeps only its hash. */
export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The longest cart token read: the shop's are 43 characters, so a longer one names no cart. */
export const MAX_CART_TOKEN_LENGTH = 200;

/** SHA-256 suffices: the token is random, there is nothing to guess from its hash. */
export function hashCartToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
