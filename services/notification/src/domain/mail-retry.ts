/**
 * When a mail whose `attempts`-th send failed for a transient reason is tried again: after each
 * delay of the ladder in turn (1 s, 5 s, 25 s: three retries), then never (it is failed, for
 * review). A mail sent again by hand has that one try only.
 */
export function retryAt(mail: { attempts: number; singleAttempt: boolean }, delaysMs: readonly number[], now: Date): Date | undefined {
  if (mail.singleAttempt) return undefined;
  const delay = delaysMs[mail.attempts - 1];
  return delay === undefined ? undefined : new Date(now.getTime() + delay);
}

/** Failures that say the SMTP server cannot be reached at all, as opposed to an answer it gave. */
const UNREACHABLE = new Set(['ECONNECTION', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function isServerUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, responseCode } = err as { code?: unknown; responseCode?: unknown };
  return responseCode === undefined && typeof code === 'string' && UNREACHABLE.has(code);
}
