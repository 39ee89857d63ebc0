import { MemoryStore, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { errorBody, type Logger } from '@shop/platform';
import type { GatewayConfig } from './config.js';

/** Logging in: the strict limit guards it against password guessing. */
export const LOGIN_ROUTE = '/api/v1/auth/login';
/** Registering (POST only): the strict limit guards it against account floods. */
export const REGISTRATION_ROUTE = '/api/v1/customers';

/** The gateway's limiters, each counting per client IP in its own store. */
export interface RateLimits {
  /** Every public API request, per client IP. */
  general: RateLimitRequestHandler;
  /** POST LOGIN_ROUTE, per client IP. */
  login: RateLimitRequestHandler;
  /** POST REGISTRATION_ROUTE, per client IP, counted apart from logins. */
  registration: RateLimitRequestHandler;
  close(): void;
}

type LimitSettings = Pick<GatewayConfig, 'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_MAX' | 'AUTH_RATE_LIMIT_MAX'>;

/**
 * The limiters count in this process's memory. Replicas behind a load balancer would each allow
 * the full limit; they would share a Redis store (rate-limit-redis) instead.
 */
export function createRateLimits(config: LimitSettings, logger: Logger): RateLimits {
  const stores = [new MemoryStore(), new MemoryStore(), new MemoryStore()] as const;
  const limiter = (limit: number, store: MemoryStore, what: string) =>
    rateLimit({
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      store,
      logger: {
        warn: (error, message) => logger.warn('rate limiter misconfigured', { error: String(error), message }),
        error: (error, message) => logger.error('rate limiter failed', { error: String(error), message }),
      },
      handler: (req, res) => {
        logger.info('rate limited', { method: req.method, path: req.path, limit: what });
        res.status(429).json(errorBody('RATE_LIMITED', 'too many requests, try again later'));
      },
    });
  return {
    general: limiter(config.RATE_LIMIT_MAX, stores[0], 'general'),
    login: limiter(config.AUTH_RATE_LIMIT_MAX, stores[1], 'login'),
    registration: limiter(config.AUTH_RATE_LIMIT_MAX, stores[2], 'registration'),
    close() {
      for (const store of stores) store.shutdown();
    },
  };
}
