import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AppError, createLogger, createServiceClient, runInContext, type ServiceClient } from '../src';

const logger = createLogger('service-client-test');
logger.silent = true;

/** A server whose every request `answer` handles; closed after the test. */
async function upstream(answer: http.RequestListener): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer(answer);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome, 'the call failed').to.be.instanceOf(AppError);
  return outcome as AppError;
}

describe('platform: the service client', () => {
  let client: ServiceClient | undefined;
  afterEach(() => client?.close());

  it('when the service answers below 500, then the status and the parsed body come back, the correlation id went along, and the calls share one kept-alive connection', async () => {
    const seen: Array<{ method?: string; url?: string; correlationId?: string; body: string }> = [];
    const server = await upstream((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, correlationId: req.headers['x-correlation-id'] as string, body });
        res.writeHead(req.method === 'POST' ? 201 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body ? JSON.parse(body) : null }));
      });
    });
    try {
      client = createServiceClient({ name: 'upstream', baseUrl: `${server.url}/`, timeoutMs: 2_000, logger });
      const created = await runInContext({ correlationId: 'corr-1', causationId: null }, () => client!.request('POST', '/things', { n: 1 }));
      const missing = await client.request('GET', '/things/2');
      expect(created).to.deep.equal({ status: 201, body: { got: { n: 1 } } });
      expect(missing).to.deep.equal({ status: 404, body: { got: null } });
      expect(seen).to.deep.equal([
        { method: 'POST', url: '/things', correlationId: 'corr-1', body: '{"n":1}' },
        { method: 'GET', url: '/things/2', correlationId: seen[1]!.correlationId, body: '' },
      ]);
      expect(seen[1]!.correlationId, 'outside a request a fresh correlation id goes along').to.match(/^[0-9a-f-]{36}$/);
      expect(server.connections()).to.equal(1);
    } finally {
      await server.close();
    }
  });

  it('when the service answers 5xx, then the call fails with 503 SERVICE_UNAVAILABLE', async () => {
    const server = await upstream((_req, res) => res.writeHead(500).end('{}'));
    try {
      client = createServiceClient({ name: 'upstream', baseUrl: server.url, timeoutMs: 2_000, logger });
      expect((await failureOf(client.request('GET', '/broken'))).code).to.equal('SERVICE_UNAVAILABLE');
    } finally {
      await server.close();
    }
  });

  it('when the service says nothing, then the call fails once its timeout has passed, not later', async () => {
    const server = await upstream(() => undefined);
    try {
      client = createServiceClient({ name: 'upstream', baseUrl: server.url, timeoutMs: 300, logger });
      const started = Date.now();
      expect((await failureOf(client.request('GET', '/silent'))).code).to.equal('SERVICE_UNAVAILABLE');
      expect(Date.now() - started).to.be.within(250, 2_000);
    } finally {
      await server.close();
    }
  });

  it('when the connection ends in the middle of the answer, then the call fails', async () => {
    const server = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"half":');
      setTimeout(() => res.destroy(), 50);
    });
    try {
      client = createServiceClient({ name: 'upstream', baseUrl: server.url, timeoutMs: 2_000, logger });
      expect((await failureOf(client.request('GET', '/cut'))).code).to.equal('SERVICE_UNAVAILABLE');
    } finally {
      await server.close();
    }
  });
});
