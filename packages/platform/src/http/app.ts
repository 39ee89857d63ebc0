import express, { type Express, type Router } from 'express';
import type client from 'prom-client';
import helmet from 'helmet';
import type { Logger } from '../logger';
import { correlationId } from './correlation';
import { errorHandler, notFoundHandler } from './errors';
import { createMetrics } from './metrics';

/** A named readiness probe: resolves when the dependency answers, throws when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface AppOptions {
  name: string;
  logger: Logger;
  /** Dependencies `/health/ready` checks (database, broker, ...). */
  readiness?: Record<string, ReadinessCheck>;
  /** Extra facts `/health/ready` shows beside the checks (the gateway's breaker states, say). */
  readinessDetails?: () => Record<string, unknown>;
  /** Mounts the service's routes. */
  routes: (router: Router) => void;
  bodyLimit?: string;
  /** False for a proxy, whose bodies must stream through untouched. */
  parseJson?: boolean;
  /** Express `trust proxy`: which proxies may name the client's address. */
  trustProxy?: boolean | number | string;
  /** Adds process-specific metrics to the registry `/metrics` serves. */
  registerMetrics?: (registry: client.Registry) => void;
}

/**
 * The Express app every service starts from: security headers, correlation ids, metrics, JSON
 * bodies with a size limit, health probes, the service's routes, then the 404 and error handlers.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  const metrics = createMetrics(options.name);
  options.registerMetrics?.(metrics.registry);
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(correlationId);
  app.use(metrics.measure);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await runChecks(options.readiness ?? {});
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks, ...options.readinessDetails?.() });
  });
  app.get('/metrics', metrics.expose);
  if (options.parseJson !== false) app.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
  const router = express.Router();
  options.routes(router);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), 2_000);
        return [name, 'ok'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
