import { issuedBefore, type Principal } from '@shop/platform';

/**
 * Sessions that ended recently: customers all of whose tokens from before an instant are void
 * (suspension), and single sessions (logout, password change, a stolen refresh token). In memory
 * per process: every replica hears every event and loads the recent ones at start-up, so nothing
 * here needs to survive a restart.
 */
export interface RevokedSessions {
  /** Records that a customer's tokens from before `notBefore` are void; an older instant than the one known changes nothing. */
  record(customerId: string, notBefore: Date): void;
  /** Records that these sessions ended: their tokens are void, whenever they were issued. */
  recordSessions(sessionIds: readonly string[], endedAt: Date): void;
  notBeforeOf(customerId: string): Date | undefined;
  /** Whether this principal's token belongs to an ended session or predates its customer's invalidation. */
  isRevoked(principal: Pick<Principal, 'customerId' | 'sessionId' | 'issuedAt'>): boolean;
  size(): number;
}

/** Retention and, for tests, the clock. */
export interface RevokedSessionsOptions {
  /** How long an invalidation matters: once every token it outlawed has expired, it is forgotten. */
  retentionMs: number;
  now?: () => number;
}

const PRUNE_EVERY_MS = 60_000;

/** An empty store that forgets invalidations once they are older than the retention. */
export function createRevokedSessions(options: RevokedSessionsOptions): RevokedSessions {
  const now = options.now ?? Date.now;
  const notBefore = new Map<string, Date>();
  const endedSessions = new Map<string, number>();
  let prunedAt = now();

  function prune(): void {
    if (now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now();
    const horizon = prunedAt - options.retentionMs;
    for (const [customerId, instant] of notBefore) {
      if (instant.getTime() < horizon) notBefore.delete(customerId);
    }
    for (const [sessionId, endedAt] of endedSessions) {
      if (endedAt < horizon) endedSessions.delete(sessionId);
    }
  }

  return {
    record(customerId, instant) {
      prune();
      const known = notBefore.get(customerId);
      if (!known || known < instant) notBefore.set(customerId, instant);
    },
    recordSessions(sessionIds, endedAt) {
      prune();
      for (const sessionId of sessionIds) {
        const key = sessionId.toLowerCase();
        endedSessions.set(key, Math.max(endedSessions.get(key) ?? 0, endedAt.getTime()));
      }
    },
    notBeforeOf(customerId) {
      return notBefore.get(customerId);
    },
    isRevoked(principal) {
      return endedSessions.has(principal.sessionId.toLowerCase()) || issuedBefore(principal, notBefore.get(principal.customerId));
    },
    size() {
      prune();
      return notBefore.size + endedSessions.size;
    },
  };
}
