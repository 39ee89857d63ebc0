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

// What nodemailer says, with no code, when the connection closed before the server said a word
// (a server going down, a balancer in front of none): unreachable too, not an answer.
const CLOSED_BEFORE_ANSWER = 'Unexpected socket close';

export function isServerUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, responseCode, message } = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  if (responseCode !== undefined) return false;
  if (code === undefined && message === CLOSED_BEFORE_ANSWER) return true;
  return typeof code === 'string' && UNREACHABLE.has(code);
}
