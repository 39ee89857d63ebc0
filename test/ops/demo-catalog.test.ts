import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { seedDemoCatalog } from '../../infra/local/demo-catalog.js';

const admin = { email: 'admin@shop.local', password: 'Admin12345' };

/** A stand-in gateway: each request gets the next of `answers` (the last one repeats); it records what it was asked. */
async function standInGateway(answers: Array<{ status: number; body: unknown }>) {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const answer = answers[Math.min(asked.length - 1, answers.length - 1)]!;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.status === 503 && { 'retry-after': '1' }) });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return { base, asked, close: () => new Promise((resolve) => server.close(resolve)) };
}

const unavailable = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'the catalog service is unavailable, try again later', details: {} } } };

describe('npm start: loading the demo catalog through the gateway', () => {
  it('when the catalog answers 503 twice (a breaker still open after the start), then the seeding waits and goes on once it answers', async () => {
    const gateway = await standInGateway([unavailable, unavailable, { status: 200, body: { items: [{ id: 'c1' }] } }]);
    try {
      const result = await seedDemoCatalog(gateway.base, admin, 10_000);

      expect(result).to.deep.equal({ seeded: false, categories: 0, products: 0 });
      expect(gateway.asked).to.deep.equal(['GET /api/v1/categories', 'GET /api/v1/categories', 'GET /api/v1/categories']);
    } finally {
      await gateway.close();
    }
  });

  it('when the catalog stays unavailable past the patience, then the seeding fails naming the call and its answer', async () => {
    const gateway = await standInGateway([unavailable]);
    try {
      const failure = await seedDemoCatalog(gateway.base, admin, 1_500).then(
        () => undefined,
        (err: Error) => err,
      );

      expect(failure?.message).to.match(/^GET \/categories answered 503: .*SERVICE_UNAVAILABLE/);
      expect(gateway.asked.length).to.be.within(1, 2);
    } finally {
      await gateway.close();
    }
  });

  it('when a call is refused for another reason, then the seeding fails at once without retrying', async () => {
    const gateway = await standInGateway([{ status: 200, body: { items: [] } }, { status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'no', details: {} } } }]);
    try {
      const failure = await seedDemoCatalog(gateway.base, admin, 10_000).then(
        () => undefined,
        (err: Error) => err,
      );

      expect(failure?.message).to.match(/^POST \/auth\/login answered 401/);
      expect(gateway.asked).to.deep.equal(['GET /api/v1/categories', 'POST /api/v1/auth/login']);
    } finally {
      await gateway.close();
    }
  });
});
