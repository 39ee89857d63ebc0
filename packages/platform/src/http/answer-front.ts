import type { FrontHandler } from './server.js';
import { SECURITY_HEADER_LIST } from './app.js';
import { sendAnswer, type KnownSpelling } from './cached-route.js';
import { correlationIdOf } from './correlation.js';
import type { HttpMetrics } from './metrics.js';

/**
 * Answers a GET of a spelling already validated (`cachedRoute` remembered it) whose answer is in
 * memory and fresh, before Express: the same headers, ETag, 304 and request metric, without
 * Express's layers, which cost more than the answer itself. A private route's request is answered
 * so only when its route can tell its key from the request alone. Anything else (a miss, another
 * method, a request with a body, a process not serving) goes to the app.
 */
export function answerFromMemory(spellings: ReadonlyMap<string, KnownSpelling>, metrics: HttpMetrics, serving: () => boolean): FrontHandler {
  return (req, res, toApp) => {
    const spelling = req.method === 'GET' && !hasBody(req.headers) && serving() ? spellings.get(req.url!) : undefined;
    const key = spelling && (spelling.key ?? spelling.keyOf?.(req));
    const answer = key === undefined ? undefined : spelling!.answers().lookup(key);
    if (!spelling || !answer) {
      toApp();
      return;
    }
    const started = performance.now();
    sendAnswer(req, res, answer, spelling.cacheControl, SECURITY_HEADER_LIST.concat('X-Correlation-Id', correlationIdOf(req)));
    metrics.record('GET', spelling.route, res.statusCode, (performance.now() - started) / 1000);
  };
}

// A GET with a body goes through the app, whose body parser refuses what it cannot read.
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}
