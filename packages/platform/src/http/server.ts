import http, { type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestListener } from 'node:http';
import { errorBody, type ErrorCode } from '../errors.js';

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  /**
   * Drains: stops accepting connections, closes idle keep-alive connections at once, lets
   * in-flight requests finish (their answers carry `Connection: close`) and closes their
   * connections after them. Connections still open after `graceMs` are cut.
   */
  close(graceMs?: number): Promise<void>;
}

/** Node's HTTP parser refusals, answered in the shop's error shape instead of an empty body. */
const CLIENT_ERRORS: Record<string, [number, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'the request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'the request was not received in time'],
};
const MALFORMED: [number, ErrorCode, string] = [400, 'BAD_REQUEST', 'the request is not valid HTTP'];

function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A response under way cannot be replaced; a reset or closed socket has nobody to read an answer.
  const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/**
 * Makes an answer close its connection, whatever its handler sets later (a proxy copies the
 * upstream's `Connection: keep-alive`): the server is draining.
 */
function closeAfter(res: ServerResponse): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => (name.toLowerCase() === 'connection' ? res : setHeader(name, value))) as typeof res.setHeader;
}

/** What Express gives every request and response: its own prototypes over Node's. */
interface ExpressPrototypes {
  request: http.IncomingMessage;
  response: http.ServerResponse;
}

/**
 * Express moves each request and response onto its prototypes (`Object.setPrototypeOf`), which
 * leaves V8 slower at every later property access of Node's HTTP code. Requests and responses
 * born with those prototypes make that move a no-op: same behaviour, less work per request.
 */
function messageClassesOf(app: RequestListener | Partial<ExpressPrototypes>): http.ServerOptions {
  const { request, response } = app as Partial<ExpressPrototypes>;
  if (!request || !response) return {};
  function Request(this: http.IncomingMessage, socket: Socket) {
    http.IncomingMessage.call(this, socket);
  }
  Request.prototype = request;
  function Response(this: http.ServerResponse, req: http.IncomingMessage, options?: object) {
    (http.ServerResponse as unknown as (this: http.ServerResponse, ...args: unknown[]) => void).call(this, req, options);
  }
  Response.prototype = response;
  return { IncomingMessage: Request as unknown as typeof http.IncomingMessage, ServerResponse: Response as unknown as typeof http.ServerResponse };
}

/** Sees a request before the app and either answers it or hands it to the app with `toApp()`. */
export type FrontHandler = (req: http.IncomingMessage, res: ServerResponse, toApp: () => void) => void;

/**
 * Listens on host:port (port 0 picks a free one) and resolves once the socket is bound. The
 * server answers what Node's parser refuses in the error shape and drains on `close()`. A `front`
 * handler, if given, sees each request first. `classes`: whether requests are born with the app's
 * (Express's) prototypes, or Node's own when nearly every request is answered in front of the app
 * (Node's serve those faster; the few that go on pay Express's move onto its prototypes).
 */
export function listen(app: RequestListener, port: number, host = '127.0.0.1', front?: FrontHandler, classes: 'express' | 'node' = 'express'): Promise<RunningServer> {
  const server = http.createServer(classes === 'express' ? messageClassesOf(app) : {});
  // Longer than the idle timeout of any load balancer in front, so it never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', answerClientError);

  // The request each connection is serving right now (undefined: idle keep-alive connection).
  const connections = new Map<Socket, ServerResponse | undefined>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, undefined);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    connections.set(socket, res);
    if (draining) closeAfter(res);
    res.once('finish', () => {
      if (connections.get(socket) === res) connections.set(socket, undefined);
      // Its answer went out with keep-alive before the drain began: close it now that it is idle.
      if (draining) socket.end();
    });
  });
  // After the tracking above, so a request is known before the app starts answering it.
  server.on('request', front ? (req: http.IncomingMessage, res: ServerResponse) => front(req, res, () => app(req, res)) : app);

  async function close(graceMs = 10_000): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [socket, res] of connections) {
      if (!res) socket.destroy();
      else closeAfter(res);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, graceMs);
    });
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({ server, port: bound, url: `http://${host}:${bound}`, close });
    });
  });
}
