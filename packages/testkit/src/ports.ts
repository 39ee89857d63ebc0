import net from 'node:net';

/**
 * A TCP port free right now on 127.0.0.1, for a process that must be told another's address
 * before that one starts (a provider's webhook URL naming a service not started yet).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
