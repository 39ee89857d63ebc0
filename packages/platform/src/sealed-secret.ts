import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * A secret that has to travel through events (a verification token on its way to the mail) is
 * sealed for its reader: AES-256-GCM under a key both sides are configured with, so the outbox,
 * the broker and a parked message hold only ciphertext. Format: `v1.<iv>.<ciphertext>.<tag>`,
 * each part base64url.
 */
const VERSION = 'v1';

function keyOf(secret: string): Buffer {
  // The configured secret is a passphrase of any length; the cipher wants exactly 32 bytes.
  return createHash('sha256').update(`shop sealed secret\0${secret}`).digest();
}

export function sealSecret(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The plaintext of a sealed secret; throws when it was sealed under another key or altered. */
export function openSealedSecret(secret: string, sealed: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || !tag) throw new Error('not a sealed secret of a known version');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
