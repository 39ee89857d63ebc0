import { issuedBefore, type Principal } from '@shop/platform';

/**
 * Customers whose sessions were invalidated recently, with the instant before which their access
 * tokens no longer count. In memory per process: every replica hears every event and loads the
 * recent ones at start-up, so nothing here needs to survive a restart.
 */
export interface RevokedSessions {
  /** Records an invalidation; an older instant than the one known for the customer changes nothing. */
  record(customerId: string, notBefore: Date): void;
  notBeforeOf(customerId: string): Date | undefined;
  /** Whether the token of this principal was issued before its customer's sessions were invalidated. */
  isRevoked(principal: Pick<Principal, 'customerId' | 'issuedAt'>): boolean;
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
  let prunedAt = now();

  function prune(): void {
    if (now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now();
    const horizon = prunedAt - options.retentionMs;
    for (const [customerId, instant] of notBefore) {
      if (instant.getTime() < horizon) notBefore.delete(customerId);
    }
  }

  return {
    record(customerId, instant) {
      prune();
      const known = notBefore.get(customerId);
      if (!known || known < instant) notBefore.set(customerId, instant);
    },
    notBeforeOf(customerId) {
      return notBefore.get(customerId);
    },
    isRevoked(principal) {
      return issuedBefore(principal, notBefore.get(principal.customerId));
    },
    size() {
      prune();
      return notBefore.size;
    },
  };
}
