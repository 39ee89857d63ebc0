import type { IncomingMessage, ServerResponse } from 'node:http';
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

// Spellings an app remembers before it starts over (each a URL and a key: a few MB at most).
const MAX_SPELLINGS = 10_000;

/**
 * A request spelling (path and query as sent) that passed a route's validation and middleware
 * once, and how to find the answer of a request spelled alike.
 */
export interface KnownSpelling {
  /** A public route's: the key of its answer in `answers()`, the same for everyone. */
  key?: string;
  /**
   * A private route's: the key of this request's answer, when it can be told from the request
   * alone (a token this replica has verified before), else undefined: through the app.
   */
  keyOf?: (req: IncomingMessage) => string | undefined;
  answers: () => AnswerCache;
  /** The route pattern, for the request metric. */
  route: string;
  cacheControl: string;
}

/**
 * The spellings an app has seen pass, by URL: filled by `cachedRoute`, read by the front handler
 * that answers them from memory before Express (`answerFromMemory`). An invalid spelling is never
 * remembered, so it is refused every time.
 */
export function knownSpellingsOf(locals: Record<string, unknown>): Map<string, KnownSpelling> {
  locals.knownSpellings ??= new Map<string, KnownSpelling>();
  return locals.knownSpellings as Map<string, KnownSpelling>;
}

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
  /**
   * A private route's key of a request, when it can be told from the request alone, without the
   * route's middleware: its answer may then be sent from memory before Express. It must give
   * `key()`'s value, or undefined (a token this replica has not verified: through the app).
   */
  frontKey?(req: IncomingMessage): string | undefined;
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
  const validated = (req: Request, res: Response): CachedInput<P, Q> => ({
    params: spec.params ? validatePart(spec.params, req.params, 'params') : ({} as P),
    query: spec.query ? validatePart(spec.query, req.query, 'query') : ({} as Q),
    req,
    res,
  });

  const handler: RequestHandler = async (req, res) => {
    let input: CachedInput<P, Q> | undefined;
    // A public request spelled as an earlier valid one goes straight to the cache.
    const spellings = isPublic || spec.frontKey ? knownSpellingsOf(req.app.locals) : undefined;
    let key = isPublic ? spellings?.get(req.url)?.key : undefined;
    if (key === undefined) {
      input = validated(req, res);
      key = spec.key(input);
      if (spellings && !spellings.has(req.url)) {
        if (spellings.size >= MAX_SPELLINGS) spellings.clear();
        const route = `${req.baseUrl}${String(req.route.path)}`;
        spellings.set(req.url, isPublic ? { key, answers, route, cacheControl } : { keyOf: spec.frontKey, answers, route, cacheControl });
      }
    }
    const cache = answers();
    const kept = cache.lookup(key);
    if (kept) return sendAnswer(req, res, kept, cacheControl);

    // A drain waits for use cases still running, as it does for route().
    const running = handlersOf(req.app.locals);
    running.count += 1;
    try {
      const request = input ?? validated(req, res);
      sendAnswer(req, res, await cache.fill(key, () => load(request), spec.tags), cacheControl);
    } finally {
      running.count -= 1;
    }
  };
  // The API documents read the spec, as they read route()'s.
  recordRouteSpec(handler, { ...spec, cache: isPublic ? 'public' : 'private' });
  return handler;
}

/**
 * A kept answer with its ETag and Cache-Control, or 304 when the client's If-None-Match names it.
 * `headers` (name, value…; the list is the caller's to give away, and grows) holds what the caller
 * would otherwise set one by one. With nothing set on `res` before, `writeHead` takes the list as
 * it is, which costs a fraction of a `setHeader` per header.
 */
export function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: CachedAnswer, cacheControl: string, headers: string[] = []): void {
  headers.push('ETag', answer.etag, 'Cache-Control', cacheControl);
  if (clientHas(req.headers['if-none-match'], answer.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(answer.body.length));
  res.writeHead(200, headers);
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
