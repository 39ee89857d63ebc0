import http from 'node:http';
import https from 'node:https';
import CircuitBreaker from 'opossum';
import { AppError, statusOf, type ErrorCode } from '../errors.js';
import { currentContext } from '../context.js';
import type { Logger } from '../logger.js';
import { CORRELATION_HEADER } from './correlation.js';

export interface ServiceClientOptions {
  /** The service called, for logs and the breaker's name. */
  name: string;
  baseUrl: string;
  /** A call that has not answered by then fails (and counts against the breaker). */
  timeoutMs: number;
  logger: Logger;
  /** Share of failed calls in the rolling window that opens the breaker. */
  errorThresholdPercentage?: number;
  /** Calls in the window before the breaker may open. */
  volumeThreshold?: number;
  /** How long an open breaker waits before letting one call through. */
  resetTimeoutMs?: number;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  body: T;
}

/** A service-to-service HTTP client: a timeout and a circuit breaker on every call. */
export interface ServiceClient {
  /**
   * Calls `path` on the service. Any answer below 500 resolves (a 4xx is the service's verdict);
   * a refused connection, a timeout, a 5xx or an open breaker throws 503 SERVICE_UNAVAILABLE,
   * which is transient: a consumer retries it, a route answers it.
   */
  request<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ServiceResponse<T>>;
  breakerState(): BreakerState;
  close(): void;
}

/** A 5xx: the call reached the service, which could not serve it. */
class ServerFailure extends Error {}

/** A circuit breaker's state, as metrics report it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** The breakers of the service clients open in this process, for its metrics (one service per process in production). */
const openClients = new Set<{ name: string; breakerState(): BreakerState }>();

/** The state of each service client's breaker in this process, by the name of the service it calls. */
export function serviceClientBreakers(): { upstream: string; state: BreakerState }[] {
  return [...openClients].map((c) => ({ upstream: c.name, state: c.breakerState() }));
}

/** A client of one service; the correlation id of the current request or event goes along. */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { name, logger } = options;
  const base = options.baseUrl.replace(/\/+$/, '');

  // node:http over keep-alive connections rather than fetch: a call costs a fraction of the CPU
  // (no web streams). An idle connection is closed before the server's announced keep-alive
  // timeout runs out (the agent reads its Keep-Alive header), so a call never takes one the server
  // is closing; the agent's own timeout only caps how long an idle connection is kept.
  const secure = base.startsWith('https:');
  const agent = new (secure ? https : http).Agent({ keepAlive: true, timeout: 60_000 });
  const transport = secure ? https : http;

  function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<ServiceResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = transport.request(`${base}${path}`, {
        method,
        agent,
        headers: {
          ...headers,
          accept: 'application/json',
          [CORRELATION_HEADER]: currentContext().correlationId,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      });
      // The whole call, answer included, has `timeoutMs`; a silent one is cut and fails.
      const timer = setTimeout(() => request.destroy(new Error(`${name} did not answer within ${options.timeoutMs} ms`)), options.timeoutMs).unref();
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      request.on('error', fail);
      request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', fail);
        // The connection ended before the whole answer came (the server died, or the timer cut it).
        response.once('close', () => {
          if (!response.complete) fail(new Error(`${name} closed the connection before answering in full`));
        });
        response.once('end', () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          if (status >= 500) return reject(new ServerFailure(`${name} answered ${status}`));
          try {
            resolve({ status, body: text ? JSON.parse(text) : undefined });
          } catch (err) {
            reject(err as Error);
          }
        });
      });
      request.end(payload);
    });
  }

  const breaker = new CircuitBreaker(call, {
    name,
    // The call's own timer ends a silent call.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    resetTimeout: options.resetTimeoutMs ?? 10_000,
    // Latency percentiles are the request metric's job: opossum's would keep every call's latency
    // and sort them all once a second.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  breaker.on('open', () => logger.warn('circuit breaker opened', { upstream: name }));
  breaker.on('close', () => logger.info('circuit breaker closed', { upstream: name }));
  const breakerState = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');
  const tracked = { name, breakerState };
  openClients.add(tracked);

  return {
    async request<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
      try {
        return (await breaker.fire(method, path, body, headers)) as ServiceResponse<T>;
      } catch (err) {
        const reason = (err as { code?: string }).code === 'EOPENBREAKER' ? 'breaker open' : err instanceof Error ? err.message : String(err);
        if (reason !== 'breaker open') logger.warn('service call failed', { upstream: name, method, path, reason });
        throw new AppError('SERVICE_UNAVAILABLE', `the ${name} service is unavailable, try again later`, {}, { cause: err });
      }
    },
    breakerState,
    close() {
      openClients.delete(tracked);
      breaker.shutdown();
      agent.destroy();
    },
  };
}

/**
 * The error a service of the shop answered with (a 4xx in the shared shape), to pass on as it is:
 * its code comes from the same table, so the client of the caller sees what the callee decided.
 * An answer that is not such an error means the service misbehaved: 503 SERVICE_UNAVAILABLE.
 */
export function answeredError(service: string, response: ServiceResponse): AppError {
  const error = (response.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (response.status >= 400 && response.status < 500 && typeof error?.code === 'string' && statusOf(error.code) === response.status) {
    const details = error.details !== null && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
    return new AppError(error.code as ErrorCode, typeof error.message === 'string' ? error.message : error.code, details);
  }
  return new AppError('SERVICE_UNAVAILABLE', `the ${service} service answered ${response.status} unexpectedly`);
}
