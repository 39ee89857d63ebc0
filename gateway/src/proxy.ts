import http from 'node:http';
import https from 'node:https';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware, debugProxyErrorsPlugin, proxyEventsPlugin } from 'http-proxy-middleware';
import CircuitBreaker from 'opossum';
import { AppError, CORRELATION_HEADER, ERROR_CODE_HEADER, type Logger, type Principal } from '@shop/platform';
import { resolvedRouteOf } from './route-resolution.js';

/** A circuit breaker's state, as readiness and metrics report it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** One upstream service behind its own proxy and circuit breaker. */
export interface Upstream {
  name: string;
  /** Streams the routed request to the service and its answer back; 503 when it cannot. */
  forward: RequestHandler;
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
 * A 502 the service chose to answer (its `X-Error-Code`, e.g. PAYMENT_PROVIDER_ERROR: a system
 * behind it failed) says the service itself is serving: it must not open that service's breaker.
 */
function countsAsUnavailable(status: number, headers: http.IncomingHttpHeaders): boolean {
  if (status === 502 && headers[ERROR_CODE_HEADER]) return false;
  return UNAVAILABLE_STATUSES.has(status);
}

/** The upstream answered one of UNAVAILABLE_STATUSES; the answer itself has gone to the client. */
class UnavailableAnswer extends Error {}

/**
 * The client stopped sending its request before it was complete, and the upstream waited for it
 * in vain: the client's fault, answered 408 and never counted against the service's breaker.
 */
class ClientTimeout extends Error {}

interface Settle {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * A proxy (http-proxy-middleware) wrapped in an opossum breaker: each request is one `fire()`
 * that resolves when the service answered and rejects on a refused or reset connection, a
 * timeout, or a 502/503/504. While the breaker is open, requests get 503 without a call. A
 * request whose client never finished sending it is the client's fault: 408, not a failure.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { name, logger } = options;
  const pending = new WeakMap<http.IncomingMessage, Settle>();
  const settle = (req: http.IncomingMessage, err?: Error) => {
    const waiting = pending.get(req);
    if (!waiting) return;
    pending.delete(req);
    if (err) waiting.reject(err);
    else waiting.resolve();
  };
  const agent = options.target.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });

  const proxy = createProxyMiddleware({
    target: options.target,
    changeOrigin: true,
    xfwd: true,
    agent,
    proxyTimeout: options.timeoutMs,
    pathRewrite: (_path, req) => resolvedRouteOf((req as Request).res as Response).upstreamUrl,
    // The default plugins answer errors with text/plain 502s and log to the console.
    ejectPlugins: true,
    plugins: [debugProxyErrorsPlugin, proxyEventsPlugin],
    on: {
      proxyRes(proxyRes, req, res) {
        proxyRes.headers[CORRELATION_HEADER] = req.headers[CORRELATION_HEADER];
        const status = proxyRes.statusCode ?? 502;
        const locals = (res as Response).locals;
        const ends = resolvedRouteOf(res as Response).route.endsSession;
        if (status < 300 && locals?.principal && ends) options.sessionEnded?.(locals.principal as Principal, ends === 'account' ? 'account' : 'session');
        settle(req, countsAsUnavailable(status, proxyRes.headers) ? new UnavailableAnswer(`${name} answered ${status}`) : undefined);
      },
      error(err, req, res) {
        settle(req, (req as http.IncomingMessage).complete ? err : new ClientTimeout('the client did not send the whole request'));
        // Failed halfway through an answer already under way: all the client can be told is a cut.
        if ('headersSent' in res && res.headersSent) res.destroy();
      },
      econnreset(_err, req) {
        // The client went away; the service is not to blame.
        settle(req);
      },
    },
  });

  const exchange = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => {
      pending.set(req, { resolve, reject });
      res.once('close', () => settle(req));
      void proxy(req, res, (err?: unknown) => settle(req, err instanceof Error ? err : new Error('request was not proxied')));
    });

  const breaker = new CircuitBreaker(exchange, {
    name,
    // The proxy's own timeout ends a silent call; a second clock here would answer while the proxy still writes.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    errorFilter: (err: unknown) => err instanceof ClientTimeout,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
  });
  breaker.on('open', () => logger.warn('circuit breaker opened', { upstream: name }));
  breaker.on('halfOpen', () => logger.info('circuit breaker half-open, trying the upstream', { upstream: name }));
  breaker.on('close', () => logger.info('circuit breaker closed', { upstream: name }));

  const forward: RequestHandler = async (req, res) => {
    try {
      await breaker.fire(req, res);
    } catch (err) {
      if (res.headersSent || err instanceof UnavailableAnswer) return;
      if (err instanceof ClientTimeout) {
        res.setHeader('Connection', 'close');
        throw new AppError('REQUEST_TIMEOUT', 'the request was not received in time');
      }
      const reason = reasonOf(err);
      // An open breaker was logged when it opened; one line per rejected request would flood the logs.
      if (reason !== 'breaker open') logger.warn('upstream unavailable', { upstream: name, reason });
      throw new AppError('SERVICE_UNAVAILABLE', `the ${name} service is unavailable, try again later`);
    }
  };

  return {
    name,
    forward,
    breakerState: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    close() {
      breaker.shutdown();
      agent.destroy();
    },
  };
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'EOPENBREAKER') return 'breaker open';
  return code ?? (err instanceof Error ? err.message : String(err));
}
