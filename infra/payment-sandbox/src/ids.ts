import { randomBytes } from 'node:crypto';

/** A provider-style id: a prefix naming the object (`auth`, `re`, `evt`, `pp` for a PayPal approval) and 24 random hex digits. */
export function newId(prefix: 'auth' | 're' | 'evt' | 'pp'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
