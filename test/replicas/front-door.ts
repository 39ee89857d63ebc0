import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { pipeTo } from '@shop/testkit';

/**
 * A stable address in front of a service's processes, as a load balancer (a Kubernetes Service)
 * gives one: each new TCP connection goes to the next process in turn. It listens before the
 * processes exist, so every process can be told every other's address up front; a connection that
 * comes before a process is behind it is refused, and the caller retries as it would against a
 * service still starting.
 */
export interface FrontDoor {
  port: number;
  url: string;
  /** The processes behind it (their `host:port`), taken in turn from the next connection on. */
  route(targets: string[]): void;
  /** Connections handed to each process so far, by `host:port`. */
  connectionsPerTarget(): Record<string, number>;
  close(): Promise<void>;
}

export async function startFrontDoor(): Promise<FrontDoor> {
  const sockets = new Set<net.Socket>();
  const handed = new Map<string, number>();
  let targets: string[] = [];
  let next = 0;
  const server = net.createServer((client) => {
    const target = targets[next++ % Math.max(1, targets.length)];
    if (!target) {
      client.destroy();
      return;
    }
    handed.set(target, (handed.get(target) ?? 0) + 1);
    const [host, port] = target.split(':');
    pipeTo(client, host ?? '127.0.0.1', Number(port), sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    route(list) {
      targets = [...list];
    },
    connectionsPerTarget: () => Object.fromEntries(handed),
    close() {
      targets = [];
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
