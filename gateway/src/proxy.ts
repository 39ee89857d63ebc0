import type http from 'node:http';
import CircuitBreaker from 'opossum';
import { AppError, CORRELATION_HEADER, SECURITY_HEADER_LIST, type Logger, type Principal } from '@shop/platform';
import { createForwarder, type AnswerHead, type HeaderList } from './forward.js';
import type { ResolvedRoute } from './routes.js';

/** A circuit breaker's state, as readiness and metrics report it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** One upstream service behind its own proxy and circuit breaker. */
export interface Upstream {
  name: string;
  /**
   * Streams the routed request to the service and its answer back, with the gateway's own answer
   * headers (`own`: the correlation id, the rate limit's) in place of the service's of those names.
   * Rejects with the AppError to answer (503 SERVICE_UNAVAILABLE, 408 REQUEST_TIMEOUT) when no
   * answer went out. Nothing may be set on `res` before (see createForwarder).
   */
  forward(req: http.IncomingMessage, res: http.ServerResponse, resolved: ResolvedRoute, principal: Principal | undefined, own: HeaderList): Promise<void>;
  breakerState(): BreakerState;
  close(): void;
}

/** Where the service is and how patient its breaker is (the BREAKER_* and UPSTREAM_TIMEOUT_MS settings). */
export interface UpstreamOptions {
  name: string;
  target: string;
  timeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
  logger: Logger;
  /** Called before the answer of a session-ending route (logout, or an erasure: the whole account) reaches the client. */
  sessionEnded?: (principal: Principal, scope: 'session' | 'account') => void;
}

/** Answers that mean the service (or what stands in front of it) is not serving: they count against the breaker. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * An error the service chose to answer (its `X-Error-Code`: PAYMENT_PROVIDER_ERROR when a system
 * behind it failed, SERVICE_UNAVAILABLE when a service it calls is down) says the service itself
 * is serving: it must not open that service's breaker, or every route of the service would be
 * refused for a fault of one of its dependencies. A 503 without one (not serving: starting,
 * draining, its database gone) counts.
 */
function countsAsUnavailable({ status, errorCode }: AnswerHead): boolean {
  if (errorCode) return false;
  return UNAVAILABLE_STATUSES.has(status);
}

/** The upstream answered one of UNAVAILABLE_STATUSES; the answer itself has gone to the client. */
class UnavailableAnswer extends Error {}

/**
 * The client stopped sending its request before it was complete, and the upstream waited for it
 * in vain: the client's fault, answered 408 and never counted against the service's breaker.
 */
class ClientTimeout extends Error {}

/**
 * A forwarder (forward.ts) wrapped in an opossum breaker: each request is one `fire()` that
 * resolves when the service answered and rejects on a refused or reset connection, a timeout, or a
 * 502/503/504. While the breaker is open, requests get 503 without a call. A request whose client
 * never finished sending it is the client's fault: 408, not a failure.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { name, logger } = options;
  const forwarder = createForwarder(options.target, options.timeoutMs);

  const exchange = (req: http.IncomingMessage, res: http.ServerResponse, { route, upstreamUrl }: ResolvedRoute, principal: Principal | undefined, own: HeaderList) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      // The client went away: the service is not to blame.
      res.once('close', () => settle());
      forwarder.forward(
        req,
        res,
        upstreamUrl,
        {
          onAnswer(head) {
            if (head.status < 300 && principal && route.endsSession) options.sessionEnded?.(principal, route.endsSession === 'account' ? 'account' : 'session');
            settle(countsAsUnavailable(head) ? new UnavailableAnswer(`${name} answered ${head.status}`) : undefined);
            // The shop's services send the same security headers; an answer without them gets the gateway's.
            return head.secured ? own : [...own, ...SECURITY_HEADER_LIST];
          },
          onError(err) {
            settle(req.complete ? err : new ClientTimeout('the client did not send the whole request'));
          },
        },
        // The correlation id the front door settled on (the client's, or a new one) goes on to the service.
        [CORRELATION_HEADER, req.headers[CORRELATION_HEADER] as string],
      );
    });

  const breaker = new CircuitBreaker(exchange, {
    name,
    // The forwarder's own timeout ends a silent call; a second clock here would answer while it still writes.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    errorFilter: (err: unknown) => err instanceof ClientTimeout,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    // Latency percentiles are the request metric's job: opossum's would keep every call's latency
    // and sort them all once a second.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  breaker.on('open', () => logger.warn('circuit breaker opened', { upstream: name }));
  breaker.on('halfOpen', () => logger.info('circuit breaker half-open, trying the upstream', { upstream: name }));
  breaker.on('close', () => logger.info('circuit breaker closed', { upstream: name }));

  const forward: Upstream['forward'] = async (req, res, resolved, principal, own) => {
    try {
      await breaker.fire(req, res, resolved, principal, own);
    } catch (err) {
      if (res.headersSent || err instanceof UnavailableAnswer) return;
      if (err instanceof ClientTimeout) {
        res.setHeader('Connection', 'close');
        throw new AppError('REQUEST_TIMEOUT', 'the request was not received in time');
      }
      const reason = reasonOf(err);
      // An open breaker was logged when it opened; one line per rejected request would flood the logs.
      if (reason !== 'breaker open') logger.warn('upstream unavailable', { upstream: name, reason, correlationId: req.headers[CORRELATION_HEADER] });
      throw new AppError('SERVICE_UNAVAILABLE', `the ${name} service is unavailable, try again later`);
    }
  };

  return {
    name,
    forward,
    breakerState: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    close() {
      breaker.shutdown();
      forwarder.close();
    },
  };
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'EOPENBREAKER') return 'breaker open';
  return code ?? (err instanceof Error ? err.message : String(err));
}
