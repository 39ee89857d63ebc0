import CircuitBreaker from 'opossum';
import { AppError } from '../errors';
import { currentContext } from '../context';
import type { Logger } from '../logger';
import { CORRELATION_HEADER } from './correlation';

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
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<ServiceResponse<T>>;
  breakerState(): 'closed' | 'open' | 'half-open';
  close(): void;
}

/** A 5xx: the call reached the service, which could not serve it. */
class ServerFailure extends Error {}

/** A client of one service; the correlation id of the current request or event goes along. */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { name, logger } = options;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(method: string, path: string, body: unknown): Promise<ServiceResponse> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { accept: 'application/json', [CORRELATION_HEADER]: currentContext().correlationId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (response.status >= 500) throw new ServerFailure(`${name} answered ${response.status}`);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const breaker = new CircuitBreaker(call, {
    name,
    // fetch's own signal ends a silent call.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    resetTimeout: options.resetTimeoutMs ?? 10_000,
  });
  breaker.on('open', () => logger.warn('circuit breaker opened', { upstream: name }));
  breaker.on('close', () => logger.info('circuit breaker closed', { upstream: name }));

  return {
    async request<T>(method: string, path: string, body?: unknown) {
      try {
        return (await breaker.fire(method, path, body)) as ServiceResponse<T>;
      } catch (err) {
        const reason = (err as { code?: string }).code === 'EOPENBREAKER' ? 'breaker open' : err instanceof Error ? err.message : String(err);
        if (reason !== 'breaker open') logger.warn('service call failed', { upstream: name, method, path, reason });
        throw new AppError('SERVICE_UNAVAILABLE', `the ${name} service is unavailable, try again later`, {}, { cause: err });
      }
    },
    breakerState: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    close() {
      breaker.shutdown();
    },
  };
}
