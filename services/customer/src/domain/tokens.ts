import { createHash, randomBytes } from 'node:crypto';

/** An unguessable single-use token (256 bits), URL-safe. Only its hash is ever stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 suffices: the tokens are random, so there is nothing to brute-force. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function expiresAfter(now: Date, milliseconds: number): Date {
  return new Date(now.getTime() + milliseconds);
}

export function isExpired(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() <= now.getTime();
}

