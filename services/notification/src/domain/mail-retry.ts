/** When a failed send may be tried again: the backoff ladder, for as long as the retry window lasts. */
export interface MailRetryPolicy {
  delaysMs: readonly number[];
  windowMs: number;
}

/**
 * The next attempt of a mail whose `attempts`-th send failed for a transient reason, or undefined
 * when the window since it was queued is over (it fails for good).
 */
export function retryAt(mail: { attempts: number; createdAt: Date }, policy: MailRetryPolicy, now: Date): Date | undefined {
  const delay = policy.delaysMs[Math.min(Math.max(mail.attempts - 1, 0), policy.delaysMs.length - 1)] ?? 1_000;
  const next = now.getTime() + delay;
  return next - mail.createdAt.getTime() > policy.windowMs ? undefined : new Date(next);
}
