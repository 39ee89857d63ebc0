import { AppError } from '@shop/platform';

/** Login throttling per e-mail address: so many failures in a window, whatever the client's IP. */
export interface LoginFailureLimit {
  maxFailures: number;
  windowSeconds: number;
}

/**
 * 429 RATE_LIMITED once an address has had `maxFailures` failed logins within its window, until
 * the window ends: for known and unknown addresses alike, the right password included.
 */
export function assertLoginAllowed(failures: { failures: number; window_started_at: Date } | undefined, limit: LoginFailureLimit, now: Date): void {
  if (!failures || failures.failures < limit.maxFailures) return;
  const retryAfterSeconds = (failures.window_started_at.getTime() + limit.windowSeconds * 1_000 - now.getTime()) / 1_000;
  if (retryAfterSeconds <= 0) return;
  throw new AppError('RATE_LIMITED', 'too many failed logins for this e-mail address; try again later', { retryAfterSeconds: Math.ceil(retryAfterSeconds) });
}

/** Verification mails per address: at most one per interval and so many a day. */
export interface VerificationMailLimit {
  intervalSeconds: number;
  dailyLimit: number;
}

/** Whether another verification mail may go to an address that was sent these (newest first, last 24 hours). */
export function mayResendVerification(sentInLastDay: Date[], limit: VerificationMailLimit, now: Date): boolean {
  const [newest] = sentInLastDay;
  if (newest && now.getTime() - newest.getTime() < limit.intervalSeconds * 1_000) return false;
  return sentInLastDay.length < limit.dailyLimit;
}
