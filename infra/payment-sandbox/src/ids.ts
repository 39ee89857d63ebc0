import { randomBytes } from 'node:crypto';

/** A provider-style id: a prefix naming the object (`auth`, `re`, `evt`) and 24 random hex digits. */
export function newId(prefix: 'auth' | 're' | 'evt'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
