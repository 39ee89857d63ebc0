import type { Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import { handlersOf, recordRouteSpec, validatePart, type ResponseSpec, type RouteDoc } from '@shop/platform';
import type { AnswerCache, CachedAnswer } from './answer-cache.js';

/**
 * Answers may be stored by browsers and CDNs, but must be revalidated (`If-None-Match`) each time:
 * the catalog promises that a change is seen within a second, so nothing may be reused unasked.
 */
export const CACHE_CONTROL = 'public, no-cache';

// Spellings a route remembers before it starts over (each a URL and a key: a few MB at most).
const MAX_SPELLINGS = 10_000;

export interface CachedInput<P, Q> {
  params: P;
  query: Q;
}

/** What `route()` takes for a GET (the API documents read it alike), and how to key its answers. */
export interface CachedRouteSpec<P, Q> {
  params?: Joi.Schema<P>;
  query?: Joi.Schema<Q>;
  response: ResponseSpec;
  doc: RouteDoc;
  /** The answer's key: the same for every request that must get the same body (a normalized query). */
  key(input: CachedInput<P, Q>): string;
}

/**
 * A shopper's read route (GET, public, the same answer for everyone) answered from the replica's
 * answer cache: validated as `route()` validates (an invalid request is the same 400), then the
 * body kept in memory is sent as it is, with its ETag, or 304 when the client has it already. On
 * a miss the use case runs and its answer is kept. Errors are never kept.
 */
export function cachedRoute<P = Record<string, never>, Q = Record<string, never>>(
  answers: () => AnswerCache,
  spec: CachedRouteSpec<P, Q>,
  load: (input: CachedInput<P, Q>) => Promise<unknown>,
): RequestHandler {
  // Request spellings (path and query as sent) that passed validation, with the key each stands
  // for: a request spelled as an earlier one goes straight to the cache. An invalid spelling is
  // never remembered, so it is refused every time.
  const keys = new Map<string, string>();
  const validated = (req: Request): CachedInput<P, Q> => ({
    params: spec.params ? validatePart(spec.params, req.params, 'params') : ({} as P),
    query: spec.query ? validatePart(spec.query, req.query, 'query') : ({} as Q),
  });

  const handler: RequestHandler = async (req, res) => {
    let input: CachedInput<P, Q> | undefined;
    let key = keys.get(req.url);
    if (key === undefined) {
      input = validated(req);
      key = spec.key(input);
      if (keys.size >= MAX_SPELLINGS) keys.clear();
      keys.set(req.url, key);
    }
    const cache = answers();
    const kept = cache.lookup(key);
    if (kept) return send(req, res, kept);

    // A drain waits for use cases still running, as it does for route().
    const running = handlersOf(req.app.locals);
    running.count += 1;
    try {
      const request = input ?? validated(req);
      send(req, res, await cache.fill(key, () => load(request)));
    } finally {
      running.count -= 1;
    }
  };
  // The API documents read the spec, as they read route()'s.
  recordRouteSpec(handler, spec);
  return handler;
}

function send(req: Request, res: Response, answer: CachedAnswer): void {
  res.setHeader('ETag', answer.etag);
  res.setHeader('Cache-Control', CACHE_CONTROL);
  if (clientHas(req.headers['if-none-match'], answer.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', answer.body.length);
  // The kept bytes as they are: no serialization, and no second ETag from Express's res.send.
  res.end(answer.body);
}

/**
 * Whether `If-None-Match` names the answer (RFC 9110 13.1.2): `*`, or a list of tags compared
 * weakly (a `W/` prefix ignored), so the client's copy is current and a 304 will do.
 */
export function clientHas(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  for (const tag of header.split(',')) {
    const trimmed = tag.trim();
    if (trimmed === '*' || (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === etag) return true;
  }
  return false;
}
