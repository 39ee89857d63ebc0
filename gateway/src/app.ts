import type { Router } from 'express';
import client from 'prom-client';
import { BREAKER_STATE_VALUE, writeError } from '@shop/platform';
import { mountApiDocuments, type ApiDocuments } from './api-documents.js';
import { setHeaders, type HeaderList } from './forward.js';
import type { Upstream } from './proxy.js';
import type { RateLimits } from './rate-limits.js';
import { mountWebPages } from './web-pages.js';

/** What the gateway's own pages need; `startGateway` builds each part. */
export interface GatewayPagesOptions {
  rateLimits: RateLimits;
  /** The API documents and their viewer, served by the gateway itself. */
  documents?: ApiDocuments;
  /** The built storefront and admin (`web/dist`); none served when not given. */
  webDir?: string;
}

/**
 * What the Express app behind the front door serves: the API documents, the storefront's and the
 * admin's pages and files, and (after them, by the platform) 404 for any path no row routes, all
 * under the same general rate limit as the routes.
 */
export function mountGatewayPages(router: Router, options: GatewayPagesOptions): void {
  router.use((req, res, next) => {
    const headers: HeaderList = [];
    const limited = options.rateLimits.general.take(req.ip ?? '', headers);
    setHeaders(res, headers);
    if (limited) writeError(res, limited);
    else next();
  });
  if (options.documents) mountApiDocuments(router, options.documents);
  if (options.webDir) mountWebPages(router, options.webDir);
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
