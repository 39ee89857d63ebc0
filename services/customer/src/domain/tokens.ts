import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

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


// The key that seals a refresh token's successor comes from the token itself: only its holder can open it.
const SUCCESSOR_SALT = Buffer.from('shop.refresh-token.successor');

function successorKey(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), SUCCESSOR_SALT, Buffer.alloc(0), 32));
}

/** Encrypts what replaced a refresh token (AES-256-GCM), so a client retrying with it can be given the same. */
export function sealSuccessor(token: string, successor: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', successorKey(token), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(successor), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The successor sealed with this token, or undefined when it does not open with it. */
export function openSuccessor<T>(token: string, sealed: Buffer): T | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', successorKey(token), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
