import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * Headers that describe one connection, not the message: never passed from one hop to the next
 * (RFC 9110 section 7.6.1). Node writes its own framing (Content-Length or chunked) for each side.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** How one forwarded exchange ended, for the breaker: the answer's status and headers, or why there was none. */
export interface ForwardHandlers {
  /** The service answered; its status and headers are on the client's response, its body not yet (a header set here wins). */
  onAnswer(status: number, headers: http.IncomingHttpHeaders): void;
  /** No answer: refused, reset, or silent past the timeout (`ETIMEDOUT`). */
  onError(err: Error & { code?: string }): void;
}

/** A keep-alive forwarder to one service: `forward(req, res, path, handlers)` streams the exchange both ways. */
export interface Forwarder {
  forward(req: http.IncomingMessage, res: http.ServerResponse, path: string, handlers: ForwardHandlers): void;
  close(): void;
}

/**
 * Forwards requests to `target` over keep-alive connections, bodies streamed untouched both ways,
 * with the X-Forwarded-* headers of the client's hop and the service's own Host. A service silent
 * for `timeoutMs` (no byte of its answer, or between bytes) fails the exchange with ETIMEDOUT.
 *
 * It does what a reverse proxy library would, with nothing else on the hot path: the gateway's
 * benchmark showed http-proxy-middleware's layers costing more per request than the whole
 * forwarding (docs/benchmarks.md).
 */
export function createForwarder(target: string, timeoutMs: number): Forwarder {
  const base = new URL(target);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const send = secure ? https.request : http.request;
  const basePath = base.pathname.replace(/\/+$/, '');

  function forward(req: http.IncomingMessage, res: http.ServerResponse, path: string, handlers: ForwardHandlers): void {
    const upstream = send({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: req.method,
      path: `${basePath}${path}`,
      headers: requestHeaders(req, base.host),
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
      res.statusCode = answer.statusCode ?? 502;
      if (answer.statusMessage) res.statusMessage = answer.statusMessage;
      copyAnswerHeaders(answer, res);
      handlers.onAnswer(res.statusCode, answer.headers);
      answer.on('error', () => res.destroy());
      answer.pipe(res);
    });
    // The client went away (or reset) before its answer was complete: the exchange is abandoned.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  return {
    forward,
    close: () => agent.destroy(),
  };
}

/** The client's headers for the service: hop-by-hop ones dropped, Host the service's, X-Forwarded-* appended. */
function requestHeaders(req: http.IncomingMessage, host: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  const listed = connectionTokens(req.headers.connection);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !listed?.has(name)) headers[name] = value;
  }
  headers.host = host;
  const secure = (req.socket as TLSSocket).encrypted === true;
  appendForwarded(headers, 'x-forwarded-for', req.socket.remoteAddress ?? '');
  appendForwarded(headers, 'x-forwarded-port', String(req.socket.localPort ?? ''));
  appendForwarded(headers, 'x-forwarded-proto', secure ? 'https' : 'http');
  headers['x-forwarded-host'] ??= req.headers.host ?? '';
  return headers;
}

function appendForwarded(headers: http.OutgoingHttpHeaders, name: string, value: string): void {
  const previous = headers[name];
  headers[name] = previous ? `${String(previous)},${value}` : value;
}

/** Headers a `Connection` header names are hop-by-hop too. */
function connectionTokens(connection: string | undefined): Set<string> | undefined {
  if (!connection) return undefined;
  return new Set(connection.split(',').map((token) => token.trim().toLowerCase()));
}

function copyAnswerHeaders(answer: http.IncomingMessage, res: http.ServerResponse): void {
  const listed = connectionTokens(answer.headers.connection);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !listed?.has(name)) res.setHeader(name, value);
  }
}
