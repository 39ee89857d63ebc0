import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import client from 'prom-client';
import { correlationId, createMetrics, errorHandler, type Logger } from '@shop/platform';
import type { TrustProxy, UpstreamKey } from './config';
import type { BreakerState, Upstream } from './proxy';
import { LOGIN_ROUTE, REGISTRATION_ROUTE, type RateLimits } from './rate-limits';
import { resolvedRouteOf, resolveRoutes } from './route-resolution';
import type { RouteResolver } from './routes';

/** What `/health/ready` reports: ready when every check is ok; upstream breakers are informative. */
export interface ReadinessReport {
  checks: Record<string, 'ok' | 'unavailable'>;
  details: Record<string, unknown>;
}

/** What the app is assembled from; `startGateway` builds each part. */
export interface GatewayAppOptions {
  logger: Logger;
  trustProxy: TrustProxy;
  resolveRoute: RouteResolver;
  authenticate: RequestHandler;
  rateLimits: RateLimits;
  upstreams: ReadonlyMap<UpstreamKey, Upstream>;
  readiness: () => ReadinessReport;
}

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Express app. Unlike the platform's `createApp` it never parses bodies (they
 * stream through to the services untouched), but it keeps the same headers, correlation ids,
 * metrics, probes and error shape.
 */
export function createGatewayApp(options: GatewayAppOptions): Express {
  const { upstreams } = options;
  const app = express();
  const metrics = createMetrics('gateway');
  registerBreakerGauge(metrics.registry, upstreams);

  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(correlationId);
  app.use(metrics.measure);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', (_req, res) => {
    const { checks, details } = options.readiness();
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks, ...details });
  });
  app.get('/metrics', metrics.expose);

  app.use(options.rateLimits.general);
  app.post(LOGIN_ROUTE, options.rateLimits.login);
  app.post(REGISTRATION_ROUTE, options.rateLimits.registration);
  app.use(resolveRoutes(options.resolveRoute));
  app.use(options.authenticate);
  app.use((req, res, next) => {
    const upstream = upstreams.get(resolvedRouteOf(res).route.upstream);
    if (!upstream) throw new Error(`no upstream for ${resolvedRouteOf(res).route.upstream}`);
    return upstream.forward(req, res, next);
  });
  app.use(errorHandler(options.logger));
  return app;
}

function registerBreakerGauge(registry: client.Registry, upstreams: ReadonlyMap<UpstreamKey, Upstream>): void {
  new client.Gauge({
    name: 'gateway_circuit_breaker_state',
    help: 'State of the circuit breaker per upstream service: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      for (const upstream of upstreams.values()) this.set({ upstream: upstream.name }, BREAKER_STATE_VALUE[upstream.breakerState()]);
    },
  });
}
