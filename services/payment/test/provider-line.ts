import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy between the payment service and the provider, for faults a test sets: a line that
 * is cut (every request dropped) or a provider whose answers come late (it did the work, the
 * answer arrives after the service stopped waiting for it).
 */
export interface ProviderLine {
  /** The provider's base URL through this line. */
  url: string;
  /** Drops every open connection and every request from now on. */
  cut(): void;
  restore(): void;
  /** Holds each answer this long after the provider gave it (0: passes answers on at once). */
  delayAnswers(ms: number): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export async function startProviderLine(targetUrl: string): Promise<ProviderLine> {
  const target = targetUrl.replace(/\/+$/, '');
  const sockets = new Set<Socket>();
  let open = true;
  let delayMs = 0;

  const server = http.createServer((req, res) => {
    if (!open) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)).map(([name, value]) => [name, String(value)]));
          const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
          const body = Buffer.from(await upstream.arrayBuffer());
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (!open || req.socket.destroyed) {
            req.socket.destroy();
            return;
          }
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
        } catch {
          req.socket.destroy();
        }
      })();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    delayAnswers(ms) {
      delayMs = ms;
    },
    close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
