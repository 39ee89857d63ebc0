import type { RequestHandler, Response } from 'express';
import { notFoundHandler } from '@shop/platform';
import type { ResolvedRoute, RouteResolver } from './routes.js';

/**
 * Matches a request to its row of the route table, or answers 404 NOT_FOUND. Later steps find
 * the match with `resolvedRouteOf`.
 */
export function resolveRoutes(resolve: RouteResolver): RequestHandler {
  return (req, res, next) => {
    const resolved = resolve(req.method, req.url);
    if (!resolved) {
      notFoundHandler(req, res, next);
      return;
    }
    res.locals.resolvedRoute = resolved;
    // The platform's request metric labels by the matched Express route; the gateway matches its
    // own table, so it names the row to keep the label meaningful and its cardinality bounded.
    req.route = { path: resolved.route.prefix };
    next();
  };
}

/** The row `resolveRoutes` matched for this response's request. */
export function resolvedRouteOf(res: Response): ResolvedRoute {
  const resolved = res.locals.resolvedRoute as ResolvedRoute | undefined;
  if (!resolved) throw new Error('the request was not routed');
  return resolved;
}
