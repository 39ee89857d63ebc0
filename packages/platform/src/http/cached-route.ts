import type { Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import type { AnswerCache, CachedAnswer } from './answer-cache.js';
import { recordRouteSpec, type ResponseSpec, type RouteDoc } from './described-routes.js';
import { handlersOf } from './route.js';
import { validatePart } from './validate.js';

/**
 * Cache-Control of an answer that is the same for everyone: browsers and CDNs may store it, but
 * must revalidate it (`If-None-Match`) each time, as a change must be seen within a second.
 */
export const PUBLIC_CACHE_CONTROL = 'public, no-cache';
/** Cache-Control of one person's answer (a cart): only their browser may store it, revalidated each time. */
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';

// Spellings a public route remembers before it starts over (each a URL and a key: a few MB at most).
const MAX_SPELLINGS = 10_000;

export interface CachedInput<P, Q> {
  params: P;
  query: Q;
  req: Request;
  res: Response;
}

/** What `route()` takes for a GET (the API documents read it alike), and how to key its answers. */
export interface CachedRouteSpec<P, Q> {
  params?: Joi.Schema<P>;
  query?: Joi.Schema<Q>;
  response: ResponseSpec;
  doc: RouteDoc;
  /**
   * `public` (the default): the answer depends on the URL alone, the same for everyone, so a URL
   * validated once goes straight to its key. `private`: the answer is one person's (the key names
   * whose, from what earlier middleware found in `res.locals`), keyed on every request, and
   * `Cache-Control` keeps it out of shared caches.
   */
  audience?: 'public' | 'private';
  /** The answer's key: the same for every request that must get the same body (a normalized query, whose cart). */
  key(input: CachedInput<P, Q>): string;
  /** What the answer shows that changes are announced for (`AnswerCache.invalidate(tag)`), beyond its key. */
  tags?(value: unknown): readonly string[];
}

/**
 * A read route (GET) answered from the replica's answer cache: validated as `route()` validates
 * (an invalid request is the same 400), then the body kept in memory is sent as it is, with its
 * ETag, or 304 when the client has it already. On a miss the use case runs and its answer is
 * kept. Errors are never kept.
 */
export function cachedRoute<P = Record<string, never>, Q = Record<string, never>>(
  answers: () => AnswerCache,
  spec: CachedRouteSpec<P, Q>,
  load: (input: CachedInput<P, Q>) => Promise<unknown>,
): RequestHandler {
  const isPublic = (spec.audience ?? 'public') === 'public';
  const cacheControl = isPublic ? PUBLIC_CACHE_CONTROL : PRIVATE_CACHE_CONTROL;
  // Public routes: request spellings (path and query as sent) that passed validation, with the
  // key each stands for: a request spelled as an earlier one goes straight to the cache. An
  // invalid spelling is never remembered, so it is refused every time.
  const keys = new Map<string, string>();
  const validated = (req: Request, res: Response): CachedInput<P, Q> => ({
    params: spec.params ? validatePart(spec.params, req.params, 'params') : ({} as P),
    query: spec.query ? validatePart(spec.query, req.query, 'query') : ({} as Q),
    req,
    res,
  });

  const handler: RequestHandler = async (req, res) => {
    let input: CachedInput<P, Q> | undefined;
    let key = isPublic ? keys.get(req.url) : undefined;
    if (key === undefined) {
      input = validated(req, res);
      key = spec.key(input);
      if (isPublic) {
        if (keys.size >= MAX_SPELLINGS) keys.clear();
        keys.set(req.url, key);
      }
    }
    const cache = answers();
    const kept = cache.lookup(key);
    if (kept) return send(req, res, kept, cacheControl);

    // A drain waits for use cases still running, as it does for route().
    const running = handlersOf(req.app.locals);
    running.count += 1;
    try {
      const request = input ?? validated(req, res);
      send(req, res, await cache.fill(key, () => load(request), spec.tags), cacheControl);
    } finally {
      running.count -= 1;
    }
  };
  // The API documents read the spec, as they read route()'s.
  recordRouteSpec(handler, { ...spec, cache: isPublic ? 'public' : 'private' });
  return handler;
}

function send(req: Request, res: Response, answer: CachedAnswer, cacheControl: string): void {
  res.setHeader('ETag', answer.etag);
  res.setHeader('Cache-Control', cacheControl);
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
 * weakly (a `W/` prefix ignored), so the client's copy is current and a 304 will do. The ETag is a
 * hash of the bytes, so a private answer's tag never vouches for someone else's body.
 */
export function clientHas(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  for (const tag of header.split(',')) {
    const trimmed = tag.trim();
    if (trimmed === '*' || (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === etag) return true;
  }
  return false;
}
