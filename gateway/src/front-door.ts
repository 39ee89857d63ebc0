import type http from 'node:http';
import { AppError, CORRELATION_HEADER, correlationIdOf, setSecurityHeaders, writeError, type FrontContext, type FrontHandler, type Logger, type Principal } from '@shop/platform';
import type { Authorizer } from './auth.js';
import { setHeaders, type HeaderList } from './forward.js';
import type { Upstream } from './proxy.js';
import type { RateLimits } from './rate-limits.js';
import { DEFAULT_GROUP, type GatewayRoute, type ResolvedRoute, type RouteResolver } from './routes.js';

/** The key of an upstream breaker: the service and the row's group. */
export const upstreamKeyOf = (route: Pick<GatewayRoute, 'upstream' | 'group'>) => `${route.upstream}|${route.group ?? DEFAULT_GROUP}`;

/** What the front door is assembled from; `startGateway` builds each part. */
export interface FrontDoorOptions {
  resolveRoute: RouteResolver;
  authorize: Authorizer;
  rateLimits: RateLimits;
  upstreams: ReadonlyMap<string, Upstream>;
  logger: Logger;
}

/**
 * The gateway's hot path: every request of a route table row, on plain `node:http`. In order:
 * the correlation id, the general and the login/registration rate limits
 * per client address, the token check, then the row's upstream behind its breaker (the answer
 * keeps the service's security headers, or gets the gateway's when it has none); the request
 * metric is recorded when the answer is sent. Everything else (the API documents, unknown paths,
 * answers while starting or draining) goes to the Express app behind it, which applies the same
 * general limit. Express's layers cost more per request than the forwarding itself
 * (docs/benchmarks.md), so the proxied routes do not pass through them.
 */
export function createFrontDoor(options: FrontDoorOptions): (context: FrontContext) => FrontHandler {
  const { resolveRoute, authorize, rateLimits, upstreams, logger } = options;
  const upstreamOf = (route: GatewayRoute) => {
    const upstream = upstreams.get(upstreamKeyOf(route));
    if (!upstream) throw new Error(`no upstream for ${upstreamKeyOf(route)}`);
    return upstream;
  };

  return ({ metrics, serving, clientAddress }) => {
    /** Answers the error of a request that did not reach its service (or whose service could not be reached), with the gateway's own headers. */
    const refuse = (req: http.IncomingMessage, res: http.ServerResponse, err: unknown, own: HeaderList) => {
      const correlationId = req.headers[CORRELATION_HEADER];
      if (!res.headersSent) {
        setHeaders(res, own);
        setSecurityHeaders(res);
      }
      if (err instanceof AppError) {
        logger.info('request refused', { method: req.method, path: pathOf(req.url!), code: err.code, correlationId });
        if (!res.headersSent) writeError(res, err);
        return;
      }
      logger.error('unhandled error', { method: req.method, path: pathOf(req.url!), error: err instanceof Error ? err.stack : String(err), correlationId });
      if (!res.headersSent) writeError(res, new AppError('INTERNAL', 'internal error'));
    };

    const pass = (req: http.IncomingMessage, res: http.ServerResponse, resolved: ResolvedRoute, principal: Principal | undefined, own: HeaderList) =>
      upstreamOf(resolved.route).forward(req, res, resolved, principal, own).catch((err: unknown) => refuse(req, res, err, own));

    return (req, res, toApp) => {
      const method = req.method!;
      const resolved = serving() ? resolveRoute(method, req.url!) : undefined;
      if (!resolved) {
        toApp();
        return;
      }
      const started = performance.now();
      res.once('finish', () => metrics.record(method, resolved.route.prefix, res.statusCode, (performance.now() - started) / 1000));
      // The gateway's own answer headers, kept aside until the answer (or the refusal) is written:
      // the forwarder passes the service's headers to writeHead as a list, with these added.
      const correlationId = correlationIdOf(req);
      const own: HeaderList = [CORRELATION_HEADER, correlationId];

      const client = clientAddress(req);
      const limited = rateLimits.general.take(client, own) ?? rateLimits.strictFor(method, pathOf(req.url!))?.take(client, own);
      if (limited) {
        refuse(req, res, limited, own);
        return;
      }
      authorize(req.headers.authorization, resolved.route, correlationId).then(
        (principal) => pass(req, res, resolved, principal, own),
        (err: unknown) => refuse(req, res, err, own),
      );
    };
  };
}

/** The path of a request URL, without its query and trailing slashes (`/x/` is `/x`, as the services route it). */
function pathOf(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
