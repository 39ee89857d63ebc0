import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * Headers that describe one connection, not the message: never passed from one hop to the next
 * (RFC 9110 section 7.6.1). Node writes its own framing (Content-Length or chunked) for each side.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Headers as Node's `rawHeaders` and `writeHead` list them: name, value, name, value… in the order
 * sent, a name repeated once per line. Forwarding them as such skips building and copying a header
 * object on each side (a service's answer has some twenty).
 */
export type HeaderList = string[];

/** Adds each header of a list to a response. */
export function setHeaders(res: http.ServerResponse, list: readonly string[]): void {
  for (let i = 0; i < list.length; i += 2) res.appendHeader(list[i]!, list[i + 1]!);
}

/** What the forwarder read of a service's answer before passing it on. */
export interface AnswerHead {
  status: number;
  /** The service's `X-Error-Code`: an error it chose to answer. */
  errorCode: string | undefined;
  /** Whether the answer carries the shop's security headers (its `X-Content-Type-Options`). */
  secured: boolean;
}

/** How one forwarded exchange ended, for the breaker: the answer's head, or why there was none. */
export interface ForwardHandlers {
  /**
   * The service answered, nothing has gone to the client yet: returns the headers to add to the
   * answer (lower-case names), each in place of the service's of the same name.
   */
  onAnswer(head: AnswerHead): readonly string[];
  /** No answer: refused, reset, or silent past the timeout (`ETIMEDOUT`). */
  onError(err: Error & { code?: string }): void;
}

/**
 * A keep-alive forwarder to one service: `forward(req, res, path, handlers, replacing)` streams the
 * exchange both ways; `replacing` (lower-case names) goes to the service in place of the client's
 * headers of the same name (the correlation id the gateway settled on, say).
 */
export interface Forwarder {
  forward(req: http.IncomingMessage, res: http.ServerResponse, path: string, handlers: ForwardHandlers, replacing?: readonly string[]): void;
  close(): void;
}

/**
 * Forwards requests to `target` over keep-alive connections, bodies streamed untouched both ways,
 * with the X-Forwarded-* headers of the client's hop and the service's own Host. A service silent
 * for `timeoutMs` (no byte of its answer, or between bytes) fails the exchange with ETIMEDOUT.
 *
 * It does what a reverse proxy library would, with nothing else on the hot path: the gateway's
 * benchmark showed http-proxy-middleware's layers costing more per request than the whole
 * forwarding (docs/benchmarks.md). The response must have no header set yet (`setHeader`), so
 * that `writeHead` takes the list as it is.
 */
export function createForwarder(target: string, timeoutMs: number): Forwarder {
  const base = new URL(target);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const send = secure ? https.request : http.request;
  const basePath = base.pathname.replace(/\/+$/, '');

  function forward(req: http.IncomingMessage, res: http.ServerResponse, path: string, handlers: ForwardHandlers, replacing: readonly string[] = []): void {
    const { headers, hasBody } = requestHeaders(req, base.host, replacing);
    const upstream = send({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: req.method,
      path: `${basePath}${path}`,
      headers,
      agent,
      timeout: timeoutMs,
    });
    upstream.on('timeout', () => upstream.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    upstream.on('error', (err) => {
      handlers.onError(err);
      // Failed halfway through an answer already under way: all the client can be told is a cut.
      if (res.headersSent) res.destroy();
    });
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      const raw = answer.rawHeaders;
      const { names, endToEnd } = readHeaders(raw);
      const errorCodeAt = names.indexOf('x-error-code');
      const added = handlers.onAnswer({ status, errorCode: errorCodeAt === -1 ? undefined : raw[2 * errorCodeAt + 1], secured: names.includes('x-content-type-options') });
      // The service's end-to-end headers, but those the gateway puts in their place.
      const headers: HeaderList = [];
      names.forEach((name, k) => {
        if (endToEnd[k] && !isNamed(added, name)) headers.push(raw[2 * k]!, raw[2 * k + 1]!);
      });
      for (const value of added) headers.push(value);
      if (answer.statusMessage) res.writeHead(status, answer.statusMessage, headers);
      else res.writeHead(status, headers);
      answer.on('error', () => res.destroy());
      answer.pipe(res);
    });
    // The client went away (or reset) before its answer was complete: the exchange is abandoned.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // A request without a body (most are GETs) is sent at once, without a pipe to set up.
    if (hasBody) req.pipe(upstream);
    else upstream.end();
  }

  return {
    forward,
    close: () => agent.destroy(),
  };
}

/**
 * The client's headers for the service: hop-by-hop ones dropped, `replacing` in place of the
 * client's of those names, Host the service's, X-Forwarded-* appended to the client's. `hasBody`:
 * whether the request's framing announces a body (RFC 9112 section 6.3: without Content-Length or
 * Transfer-Encoding, a request has none).
 */
function requestHeaders(req: http.IncomingMessage, host: string, replacing: readonly string[]): { headers: HeaderList; hasBody: boolean } {
  const raw = req.rawHeaders;
  const { names, endToEnd } = readHeaders(raw);
  const headers: HeaderList = [];
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  let clientHost = '';
  let hasBody = false;
  names.forEach((name, k) => {
    const value = raw[2 * k + 1]!;
    if (name === 'transfer-encoding' || (name === 'content-length' && value !== '0')) hasBody = true;
    else if (name === 'host') clientHost = value;
    if (!endToEnd[k] || name === 'host' || isNamed(replacing, name)) return;
    if (name === 'x-forwarded-for') forwardedFor = joined(forwardedFor, value);
    else if (name === 'x-forwarded-port') forwardedPort = joined(forwardedPort, value);
    else if (name === 'x-forwarded-proto') forwardedProto = joined(forwardedProto, value);
    else if (name === 'x-forwarded-host') forwardedHost ??= value;
    else headers.push(raw[2 * k]!, value);
  });
  const secure = (req.socket as TLSSocket).encrypted === true;
  headers.push(
    ...replacing,
    'host',
    host,
    'x-forwarded-for',
    appended(forwardedFor, req.socket.remoteAddress ?? ''),
    'x-forwarded-port',
    appended(forwardedPort, String(req.socket.localPort ?? '')),
    'x-forwarded-proto',
    appended(forwardedProto, secure ? 'https' : 'http'),
    'x-forwarded-host',
    forwardedHost ?? clientHost,
  );
  return { headers, hasBody };
}

/** Whether a header list has a header of this lower-case name (its own names are lower-case). */
function isNamed(list: readonly string[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
  return false;
}

// Several lines of one header are one comma-separated value (RFC 9110 section 5.3), as Node joins them.
const joined = (previous: string | undefined, value: string) => (previous === undefined ? value : `${previous}, ${value}`);
const appended = (previous: string | undefined, value: string) => (previous ? `${previous},${value}` : value);

/**
 * A raw header list read once: each header's lower-case name, and whether it may go on to the next
 * hop (neither hop-by-hop nor named by a `Connection` header, whose names are hop-by-hop too).
 */
function readHeaders(raw: readonly string[]): { names: string[]; endToEnd: boolean[] } {
  const names: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    names.push(name);
    if (name === 'connection') for (const token of raw[i + 1]!.split(',')) (listed ??= new Set()).add(token.trim().toLowerCase());
  }
  return { names, endToEnd: names.map((name) => !HOP_BY_HOP.has(name) && !listed?.has(name)) };
}
