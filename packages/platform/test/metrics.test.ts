import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createLogger, createMetrics, createServiceClient } from '../src';

const logger = createLogger('metrics-test');
logger.silent = true;

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('platform: the metrics every process exports', () => {
  describe('service_client_circuit_breaker_state', () => {
    it("when a service client's calls keep failing, then its breaker is reported closed (0), then open (2), and no more once the client is closed", async () => {
      const upstream = `upstream-${randomUUID()}`;
      const metrics = createMetrics('metrics-test');
      const stateLine = async () =>
        (await metrics.registry.getSingleMetricAsString('service_client_circuit_breaker_state')).split('\n').find((line) => line.includes(`upstream="${upstream}"`));
      const serviceClient = createServiceClient({ name: upstream, baseUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 1_000, logger, volumeThreshold: 2, resetTimeoutMs: 60_000 });
      try {
        expect(await stateLine()).to.match(/ 0$/);
        for (let i = 0; i < 3; i += 1) await serviceClient.request('GET', '/internal/anything').catch(() => undefined);
        expect(serviceClient.breakerState()).to.equal('open');
        expect(await stateLine()).to.equal(`service_client_circuit_breaker_state{upstream="${upstream}",service="metrics-test"} 2`);
      } finally {
        serviceClient.close();
      }
      expect(await stateLine()).to.equal(undefined);
    });
  });
});
