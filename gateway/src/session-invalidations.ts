import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { customerSessionsInvalidated, type CustomerSessionsInvalidatedV1, type EventEnvelope } from '@shop/contracts';
import { startBroadcastConsumer, type BroadcastConsumer, type Broker } from '@shop/messaging';
import { CORRELATION_HEADER, currentContext, type Logger } from '@shop/platform';
import type { RevokedSessions } from './revoked-sessions.js';

/**
 * The gateway's own subscription: each replica binds a queue of its own (the prefix and a random
 * id, exclusive, gone when it disconnects), so every replica hears every invalidation.
 */
export const sessionInvalidationSubscription = { queuePrefix: 'gateway.sessions.', events: [customerSessionsInvalidated] } as const;

/**
 * Subscribes this process to `customer.sessions-invalidated` on a queue of its own, so every
 * replica rejects the outlawed tokens at once.
 */
export function subscribeToInvalidations(broker: Broker, revokedSessions: RevokedSessions, logger: Logger): BroadcastConsumer {
  return startBroadcastConsumer({
    broker,
    queue: `${sessionInvalidationSubscription.queuePrefix}${randomUUID()}`,
    logger,
    handlers: [
      {
        contract: customerSessionsInvalidated,
        handle(event: EventEnvelope<CustomerSessionsInvalidatedV1>) {
          const { customerId, notBefore, sessionIds, reason } = event.data;
          if (sessionIds) revokedSessions.recordSessions(sessionIds, new Date(notBefore));
          else revokedSessions.record(customerId, new Date(notBefore));
          logger.info('sessions invalidated', { customerId, notBefore, sessions: sessionIds?.length ?? 'all', reason, correlationId: event.correlationId });
        },
      },
    ],
  });
}

/** Whether the recent invalidations have been loaded, are being (re)loaded, or could not be before they stopped mattering. */
export type LoadState = 'loading' | 'loaded' | 'failed';

/**
 * Fills the revoked sessions from the customer service's recent invalidations: at start-up,
 * before the broker subscription could have heard them, and after a broker reconnect, when
 * events may have been missed.
 */
export interface InvalidationLoader {
  /** One attempt, bounded by the upstream timeout; when it fails, retries go on in the background. True when it loaded. */
  start(): Promise<boolean>;
  /** Loads again now, retrying in the background until one attempt succeeds. */
  reload(): void;
  state(): LoadState;
  stop(): void;
}

/** Where to load from, into which store, and how far back. */
export interface InvalidationLoaderOptions {
  customerServiceUrl: string;
  revokedSessions: RevokedSessions;
  /** How far back an invalidation still outlaws unexpired tokens. */
  retentionMs: number;
  timeoutMs: number;
  logger: Logger;
  /** First retry delay; doubles up to 30 s. */
  retryDelayMs?: number;
}

const invalidationsSchema = Joi.object({
  items: Joi.array()
    .items(Joi.object({ customerId: Joi.string().uuid().required(), notBefore: Joi.string().isoDate().required() }).unknown(true))
    .required(),
  sessions: Joi.array()
    .items(Joi.object({ sessionId: Joi.string().uuid().required(), revokedAt: Joi.string().isoDate().required() }).unknown(true))
    .default([]),
}).unknown(true);

interface Invalidations {
  items: { customerId: string; notBefore: string }[];
  sessions: { sessionId: string; revokedAt: string }[];
}

const MAX_RETRY_DELAY_MS = 30_000;

/** A loader over the customer service's `GET /internal/sessions/invalidations?since=`. */
export function createInvalidationLoader(options: InvalidationLoaderOptions): InvalidationLoader {
  const { revokedSessions, logger, retentionMs } = options;
  const endpoint = `${options.customerServiceUrl.replace(/\/+$/, '')}/internal/sessions/invalidations`;
  let state: LoadState = 'loading';
  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<AbortController>();

  async function loadOnce(): Promise<boolean> {
    const since = new Date(Date.now() - retentionMs).toISOString();
    const abort = new AbortController();
    inFlight.add(abort);
    const timeout = setTimeout(() => abort.abort(), options.timeoutMs);
    try {
      const response = await fetch(`${endpoint}?since=${encodeURIComponent(since)}`, {
        headers: { accept: 'application/json', [CORRELATION_HEADER]: currentContext().correlationId },
        signal: abort.signal,
      });
      if (!response.ok) throw new Error(`customer service answered ${response.status}`);
      const { value, error } = invalidationsSchema.validate(await response.json());
      if (error) throw new Error(`unexpected invalidations body: ${error.message}`);
      const { items, sessions } = value as Invalidations;
      for (const item of items) revokedSessions.record(item.customerId, new Date(item.notBefore));
      for (const session of sessions) revokedSessions.recordSessions([session.sessionId], new Date(session.revokedAt));
      state = 'loaded';
      logger.info('recent session invalidations loaded', { customers: items.length, sessions: sessions.length, since });
      return true;
    } catch (err) {
      if (!stopped) logger.warn('could not load recent session invalidations', { error: describe(err) });
      return false;
    } finally {
      clearTimeout(timeout);
      inFlight.delete(abort);
    }
  }

  function retry(firstDelayMs: number): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    state = 'loading';
    // Past the retention nothing the customer service could answer still outlaws a live token.
    const deadline = Date.now() + retentionMs;
    let delay = options.retryDelayMs ?? 500;
    const schedule = (ms: number) => {
      timer = setTimeout(() => void attempt(), ms);
    };
    const attempt = async () => {
      again = false;
      const loaded = await loadOnce();
      if (stopped) return;
      if (loaded) {
        // A reload asked for during this attempt may concern events its answer predates.
        if (again) schedule(0);
        else running = false;
        return;
      }
      if (Date.now() + delay > deadline) {
        running = false;
        state = 'failed';
        logger.error('gave up loading recent session invalidations; relying on events alone');
        return;
      }
      schedule(delay);
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    };
    schedule(firstDelayMs);
  }

  return {
    async start() {
      const loaded = await loadOnce();
      if (!loaded) retry(options.retryDelayMs ?? 500);
      return loaded;
    },
    reload: () => retry(0),
    state: () => state,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const abort of inFlight) abort.abort();
    },
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err.cause as { code?: string } | undefined)?.code;
  return cause ? `${err.message} (${cause})` : err.message;
}
