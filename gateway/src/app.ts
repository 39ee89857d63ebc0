import type { Express, RequestHandler } from 'express';
import client from 'prom-client';
import { createApp, type Logger, type ReadinessCheck } from '@shop/platform';
import type { TrustProxy, UpstreamKey } from './config';
import type { BreakerState, Upstream } from './proxy';
import { LOGIN_ROUTE, REGISTRATION_ROUTE, type RateLimits } from './rate-limits';
import { resolvedRouteOf, resolveRoutes } from './route-resolution';
import type { RouteResolver } from './routes';

/** What the app is assembled from; `startGateway` builds each part. */
export interface GatewayAppOptions {
  logger: Logger;
  trustProxy: TrustProxy;
  resolveRoute: RouteResolver;
  authenticate: RequestHandler;
  rateLimits: RateLimits;
  upstreams: ReadonlyMap<UpstreamKey, Upstream>;
  readiness: Record<string, ReadinessCheck>;
  readinessDetails: () => Record<string, unknown>;
}

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Express app: the platform's app without a body parser (bodies stream through to
 * the services untouched), with rate limits, route resolution, token checks and the proxies.
 */
export function createGatewayApp(options: GatewayAppOptions): Express {
  const { upstreams } = options;
  return createApp({
    name: 'gateway',
    logger: options.logger,
    parseJson: false,
    trustProxy: options.trustProxy,
    readiness: options.readiness,
    readinessDetails: options.readinessDetails,
    registerMetrics: (registry) => registerBreakerGauge(registry, upstreams),
    routes: (router) => {
      router.use(options.rateLimits.general);
      router.post(LOGIN_ROUTE, options.rateLimits.login);
      router.post(REGISTRATION_ROUTE, options.rateLimits.registration);
      router.use(resolveRoutes(options.resolveRoute));
      router.use(options.authenticate);
      router.use((req, res, next) => {
        const upstream = upstreams.get(resolvedRouteOf(res).route.upstream);
        if (!upstream) throw new Error(`no upstream for ${resolvedRouteOf(res).route.upstream}`);
        return upstream.forward(req, res, next);
      });
    },
  });
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
