import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy between a client under test and a real server (PostgreSQL, RabbitMQ, SMTP), to cut
 * the line and restore it: the way fault tests make a dependency "go away" without stopping the
 * machine's server.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its port pointed at this proxy (a database or broker URL to give the client under test). */
  via(url: string): string;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** How many connections are open through it now. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Joins a client connection to a new one to `host:port`, both ways; either end closing or failing
 * closes both. Both sockets stay in `sockets` while open, so a proxy can cut them all.
 */
export function pipeTo(client: net.Socket, host: string, port: number, sockets: Set<net.Socket>): void {
  const upstream = net.connect(port, host);
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      client.destroy();
      upstream.destroy();
    });
  }
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream).pipe(client);
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    pipeTo(client, targetHost, targetPort, sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    via(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    connections: () => Math.floor(sockets.size / 2),
    close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of this machine's PostgreSQL (from a database URL's port). */
export function startPostgresProxy(databaseUrl: string): Promise<TcpProxy> {
  return startTcpProxy(Number(new URL(databaseUrl).port || 5432));
}

/** A proxy in front of this machine's RabbitMQ (from an AMQP URL's port). */
export function startBrokerProxy(amqpUrl: string): Promise<TcpProxy> {
  return startTcpProxy(Number(new URL(amqpUrl).port || 5672));
}
