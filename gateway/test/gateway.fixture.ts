import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpClient, testAmqpUrl, testLogger, type HttpClient } from '@shop/testkit';
import { loadGatewayConfig } from '../src/config';
import { startGateway, type RunningGateway } from '../src/gateway';
import { startFakeCustomerService, type FakeCustomerService } from './fake-customer.fixture';

export interface GatewayFixture {
  gateway: RunningGateway;
  customer: FakeCustomerService;
  api: HttpClient;
  /** The operations port: probes and metrics. */
  ops: HttpClient;
  stop(): Promise<void>;
}

/**
 * A gateway on a random port in front of a fake customer service, on this run's broker vhost.
 * `env` overrides settings; `customer` reuses a fake service instead of starting one.
 */
export async function startGatewayFixture(env: Record<string, string> = {}, customer?: FakeCustomerService): Promise<GatewayFixture> {
  const fake = customer ?? (await startFakeCustomerService());
  const config = loadGatewayConfig({
    PORT: '0',
    NODE_ENV: 'test',
    AMQP_URL: await testAmqpUrl(),
    CUSTOMER_SERVICE_URL: fake.url,
    ...env,
  });
  const gateway = await startGateway(config, testLogger('gateway'));
  return {
    gateway,
    customer: fake,
    api: httpClient(gateway.url),
    ops: httpClient(gateway.opsUrl),
    async stop() {
      await gateway.stop();
      if (!customer) await fake.stop();
    },
  };
}

/** A local port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
