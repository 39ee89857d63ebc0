import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.js';

/** The header every webhook of the shop is signed in (API.md): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const SIGNATURE_HEADER = 'x-signature';

/** How old a signature may be before it is refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `X-Signature` value for a body sent at `at`. */
export function signWebhook(secret: string, rawBody: Buffer | string, at: Date = new Date()): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody)}`;
}

/**
 * Checks a webhook's `X-Signature` against the raw body exactly as it arrived: 401
 * INVALID_SIGNATURE when it is missing, malformed, wrong, or older than the tolerance (or from
 * the future beyond it). The comparison takes the same time however much of it matches.
 */
export function verifyWebhook(secret: string, header: string | undefined, rawBody: Buffer | undefined, now: Date = new Date(), toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): void {
  const refuse = (why: string): never => {
    throw new AppError('INVALID_SIGNATURE', `the webhook signature ${why}`);
  };
  if (!header || !rawBody) refuse('is missing');
  const parts = new Map(
    header!.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) refuse('is malformed');
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) refuse('is too old');
  const expected = Buffer.from(hmac(secret, timestamp, rawBody!), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) refuse('does not match');
}
