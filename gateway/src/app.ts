import type { RequestHandler, Router } from 'express';
import client from 'prom-client';
import { mountApiDocuments, type ApiDocuments } from './api-documents.js';
import { BREAKER_STATE_VALUE } from '@shop/platform';
import type { Upstream } from './proxy.js';
import { LOGIN_ROUTE, REGISTRATION_ROUTE, type RateLimits } from './rate-limits.js';
import { resolvedRouteOf, resolveRoutes } from './route-resolution.js';
import { DEFAULT_GROUP, type GatewayRoute, type RouteResolver } from './routes.js';

/** The key of an upstream breaker: the service and the row's group. */
export const upstreamKeyOf = (route: Pick<GatewayRoute, 'upstream' | 'group'>) => `${route.upstream}|${route.group ?? DEFAULT_GROUP}`;

/** What the routes are assembled from; `startGateway` builds each part. */
export interface GatewayRouteOptions {
  resolveRoute: RouteResolver;
  authenticate: RequestHandler;
  rateLimits: RateLimits;
  upstreams: ReadonlyMap<string, Upstream>;
  /** The API documents and their viewer, served by the gateway itself. */
  documents?: ApiDocuments;
}

/**
 * The gateway's routes on the platform's app (without a body parser: bodies stream through to the
 * services untouched): rate limits, the API documents, route resolution, token checks, then the
 * proxy of the row's upstream and breaker group.
 */
export function mountGatewayRoutes(router: Router, options: GatewayRouteOptions): void {
  const { upstreams } = options;
  router.use(options.rateLimits.general);
  router.post(LOGIN_ROUTE, options.rateLimits.login);
  router.post(REGISTRATION_ROUTE, options.rateLimits.registration);
  if (options.documents) mountApiDocuments(router, options.documents);
  router.use(resolveRoutes(options.resolveRoute));
  router.use(options.authenticate);
  router.use((req, res, next) => {
    const key = upstreamKeyOf(resolvedRouteOf(res).route);
    const upstream = upstreams.get(key);
    if (!upstream) throw new Error(`no upstream for ${key}`);
    return upstream.forward(req, res, next);
  });
}

/** `gateway_circuit_breaker_state{upstream}`: 0 closed, 1 half-open, 2 open, per service and group. */
export function registerBreakerGauge(registry: client.Registry, upstreams: ReadonlyMap<string, Upstream>): void {
  new client.Gauge({
    name: 'gateway_circuit_breaker_state',
    help: 'State of the circuit breaker per upstream service and route group: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      for (const upstream of upstreams.values()) this.set({ upstream: upstream.name }, BREAKER_STATE_VALUE[upstream.breakerState()]);
    },
  });
}
