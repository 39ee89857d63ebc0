import { AppError } from '@shop/platform';
import type { GatewayConfig } from './config.js';
import type { HeaderList } from './forward.js';

/** Logging in: the strict limit guards it against password guessing. */
export const LOGIN_ROUTE = '/api/v1/auth/login';
/** Registering (POST only): the strict limit guards it against account floods. */
export const REGISTRATION_ROUTE = '/api/v1/customers';

/** Counts requests per client in fixed windows; `take` counts one and says whether it is over. */
export interface RateLimiter {
  /**
   * Counts a request of `client`, adds the standard `RateLimit-Policy` and `RateLimit` headers
   * (IETF draft 7) to the answer's `headers`, and returns a RATE_LIMITED error (with its
   * Retry-After) when the client is over the limit, else undefined.
   */
  take(client: string, headers: HeaderList): AppError | undefined;
}

/** The gateway's limiters, each counting per client address on its own. */
export interface RateLimits {
  /** Every public API request. */
  general: RateLimiter;
  /** POST LOGIN_ROUTE. */
  login: RateLimiter;
  /** POST REGISTRATION_ROUTE, counted apart from logins. */
  registration: RateLimiter;
  /** The stricter limiter a request also counts against, if any. */
  strictFor(method: string, path: string): RateLimiter | undefined;
  close(): void;
}

type LimitSettings = Pick<GatewayConfig, 'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_MAX' | 'AUTH_RATE_LIMIT_MAX'>;

interface Window {
  hits: number;
  /** When this client's window ends (epoch ms). */
  endsAt: number;
}

/**
 * A fixed window per client, starting at its first request, held in this process's memory: it
 * runs on every request, so it is a map lookup and two header strings, nothing more. Replicas
 * behind a load balancer would each allow the full limit; they would share a Redis counter instead.
 */
function createLimiter(limit: number, windowMs: number): RateLimiter & { sweep(now: number): void } {
  const windows = new Map<string, Window>();
  const policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  return {
    take(client, headers) {
      const now = Date.now();
      let window = windows.get(client);
      if (!window || window.endsAt <= now) {
        window = { hits: 0, endsAt: now + windowMs };
        windows.set(client, window);
      }
      window.hits += 1;
      const resetSeconds = Math.max(0, Math.ceil((window.endsAt - now) / 1000));
      // A request counted by two limiters (a login) shows the stricter one's, the last counted.
      setListed(headers, 'ratelimit-policy', policy);
      setListed(headers, 'ratelimit', `limit=${limit}, remaining=${Math.max(0, limit - window.hits)}, reset=${resetSeconds}`);
      if (window.hits <= limit) return undefined;
      return new AppError('RATE_LIMITED', 'too many requests, try again later', { retryAfterSeconds: resetSeconds });
    },
    sweep(now) {
      for (const [client, window] of windows) if (window.endsAt <= now) windows.delete(client);
    },
  };
}

/** Sets a header in a list, in place of an earlier value of the same name. */
function setListed(headers: HeaderList, name: string, value: string): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === name) {
      headers[i + 1] = value;
      return;
    }
  }
  headers.push(name, value);
}

/** The general, login and registration limiters of the gateway's settings; their memory is swept once a window. */
export function createRateLimits(config: LimitSettings): RateLimits {
  const general = createLimiter(config.RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_MS);
  const login = createLimiter(config.AUTH_RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_MS);
  const registration = createLimiter(config.AUTH_RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_MS);
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const limiter of [general, login, registration]) limiter.sweep(now);
  }, config.RATE_LIMIT_WINDOW_MS);
  sweeper.unref();
  return {
    general,
    login,
    registration,
    strictFor(method, path) {
      if (method !== 'POST') return undefined;
      // Services route with case; counting every spelling anyway costs nothing and guards a service that would not.
      const route = path.toLowerCase();
      if (route === LOGIN_ROUTE) return login;
      if (route === REGISTRATION_ROUTE) return registration;
      return undefined;
    },
    close: () => clearInterval(sweeper),
  };
}
