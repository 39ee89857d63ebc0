import http from 'node:http';
import net from 'node:net';
import { expect } from 'chai';
import Joi from 'joi';
import { AppError, createLogger, route, startHttp, type RunningHttp } from '../src';

const logger = createLogger('app-test');
logger.silent = true;

/** Sends raw bytes and resolves with everything the server wrote back before it closed. */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(request);
  });
}

function parseRaw(raw: string): { status: number; headers: string; body: any } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: rest.join('\r\n\r\n') ? JSON.parse(rest.join('\r\n\r\n')) : undefined };
}

describe('platform: the HTTP servers every process runs', () => {
  let http1: RunningHttp;
  let ready = true;
  before(async () => {
    http1 = await startHttp({
      name: 'app-test',
      logger,
      host: '127.0.0.1',
      port: 0,
      opsPort: 0,
      readiness: {
        database: async () => {
          if (!ready) throw new Error('down');
        },
      },
      routes: (router) => {
        router.get('/boom', () => {
          throw new Error('secret detail at /srv/app.js:12');
        });
        router.get('/db-down', () => {
          throw Object.assign(new Error('Connection terminated unexpectedly'), {});
        });
        router.post(
          '/things',
          route({ body: Joi.object({ name: Joi.string().required(), tags: Joi.object().unknown(true) }), status: 201 }, async ({ body }) => {
            if (body.name === 'taken') throw new AppError('EMAIL_EXISTS', 'taken');
            if (body.name === 'busy') throw new AppError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 42.2 });
            if (body.name === 'x') throw new AppError('VALIDATION_ERROR', 'too short', { fields: [{ field: 'name', message: 'must be 2 or more characters' }] });
            if (body.name === 'stale') throw new AppError('INVALID_REFRESH_TOKEN', 'no longer valid');
            return { name: body.name };
          }),
        );
        router.get(
          '/search',
          route({ query: Joi.object({ q: Joi.string() }) }, async ({ query }) => ({ q: query.q })),
        );
      },
    });
    http1.open();
  });
  after(async () => {
    await http1.drain(1_000);
    await http1.closeOps();
  });

  const post = (path: string, body: unknown) => fetch(`${http1.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('errors', () => {
    it('when a handler throws an unexpected error, then 500 INTERNAL with nothing internal in the body', async () => {
      const response = await fetch(`${http1.url}/boom`);
      const text = await response.text();
      expect(response.status).to.equal(500);
      expect(JSON.parse(text)).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error', details: {} } });
      expect(text).to.not.contain('secret');
    });

    it('when a dependency fails for a transient reason (PostgreSQL dropped), then 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
      const response = await fetch(`${http1.url}/db-down`);
      expect(response.status).to.equal(503);
      expect(response.headers.get('retry-after')).to.equal('1');
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('SERVICE_UNAVAILABLE');
    });

    it('when a path differs from a route only in case, then 404 NOT_FOUND: routes match with their case, as the gateway routes them', async () => {
      expect((await post('/THINGS', { name: 'lamp' })).status).to.equal(404);
      expect((await post('/things/', { name: 'lamp' })).status).to.equal(201);
    });

    it('when a use case throws an AppError, then its code maps to its status through the one table', async () => {
      const response = await post('/things', { name: 'taken' });
      expect(response.status).to.equal(409);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('EMAIL_EXISTS');
    });

    it('when a use case refuses a field of the body (the domain names only the field), then the answer says where it was: the body', async () => {
      const response = await post('/things', { name: 'x' });
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { details: unknown } }).error.details).to.deep.equal({ fields: [{ location: 'body', field: 'name', message: 'must be 2 or more characters' }] });
    });

    it('when a code has a public name of its own (a refresh token that does not work), then its own status goes with the public code', async () => {
      const response = await post('/things', { name: 'stale' });
      expect(response.status).to.equal(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('INVALID_TOKEN');
    });

    it('when an error says how long to wait, then Retry-After carries it in whole seconds', async () => {
      const response = await post('/things', { name: 'busy' });
      expect(response.status).to.equal(429);
      expect(response.headers.get('retry-after')).to.equal('43');
    });

    it('when the body is valid, then the handler answers with the route status and the correlation id is echoed', async () => {
      const response = await fetch(`${http1.url}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'req-42' },
        body: JSON.stringify({ name: 'lamp' }),
      });
      expect(response.status).to.equal(201);
      expect(response.headers.get('x-correlation-id')).to.equal('req-42');
      expect(response.headers.get('x-content-type-options'), 'helmet headers').to.equal('nosniff');
    });
  });

  describe('text PostgreSQL cannot store', () => {
    for (const [what, body] of [
      ['a NUL character in a value', { name: 'lamp\u0000' }],
      ['a NUL character deep inside', { name: 'lamp', tags: { colour: ['red', 'gr\u0000een'] } }],
      ['a NUL character in a key', { name: 'lamp', tags: { 'a\u0000b': 1 } }],
      ['a lone high surrogate', { name: 'lamp\ud800' }],
      ['a lone low surrogate', { name: '\udc00lamp' }],
    ] as const) {
      it(`when the body holds ${what}, then 400 VALIDATION_ERROR naming the field, never a 5xx`, async () => {
        const response = await post('/things', body);
        expect(response.status).to.equal(400);
        const { error } = (await response.json()) as { error: { code: string; details: { fields: Array<{ location: string }> } } };
        expect(error.code).to.equal('VALIDATION_ERROR');
        expect(error.details.fields[0]?.location).to.equal('body');
      });
    }

    it('when a body nests 10,000 levels deep (arrays or objects), then 400 VALIDATION_ERROR, not a stack overflow; 32 levels are fine', async () => {
      const raw = (body: string) => fetch(`${http1.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      for (const deep of [`{"name":"lamp","tags":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`, `{"name":"lamp","tags":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`]) {
        const response = await raw(deep);
        expect(response.status).to.equal(400);
        const { error } = (await response.json()) as { error: { code: string; details: { fields: Array<{ message: string }> } } };
        expect(error.code).to.equal('VALIDATION_ERROR');
        expect(error.details.fields[0]?.message).to.contain('nest');
      }
      expect((await raw(`{"name":"lamp","tags":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}`)).status).to.equal(201);
    });

    it('when a query string holds a NUL character, then 400 VALIDATION_ERROR; a proper surrogate pair (an emoji) is fine', async () => {
      const bad = await fetch(`${http1.url}/search?q=a%00b`);
      expect(bad.status).to.equal(400);
      const emoji = await fetch(`${http1.url}/search?q=${encodeURIComponent('tea 🍵')}`);
      expect(emoji.status).to.equal(200);
      expect(await emoji.json()).to.deep.equal({ q: 'tea 🍵' });
    });
  });

  describe('what the HTTP parser refuses, in the error shape', () => {
    it('when the headers are 20 kB, then 431 HEADERS_TOO_LARGE with a JSON body', async () => {
      const raw = await rawExchange(http1.port, `GET /search HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      const response = parseRaw(raw);
      expect(response.status).to.equal(431);
      expect(response.body.error.code).to.equal('HEADERS_TOO_LARGE');
    });

    it('when there are 200 headers, then 431 HEADERS_TOO_LARGE', async () => {
      const headers = Array.from({ length: 200 }, (_, i) => `X-H${i}: ${'v'.repeat(90)}`).join('\r\n');
      const response = parseRaw(await rawExchange(http1.port, `GET /search HTTP/1.1\r\nHost: x\r\n${headers}\r\n\r\n`));
      expect(response.status).to.equal(431);
      expect(response.body.error.code).to.equal('HEADERS_TOO_LARGE');
    });

    it('when a header holds a bare CR, or the path non-ASCII bytes, then 400 BAD_REQUEST with a JSON body', async () => {
      for (const request of [
        'GET /search HTTP/1.1\r\nHost: x\r\nX-Evil: a\rb\r\n\r\n',
        Buffer.concat([Buffer.from('GET /s'), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]),
        'NONSENSE\r\n\r\n',
      ]) {
        const response = parseRaw(await rawExchange(http1.port, request));
        expect(response.status, String(request)).to.equal(400);
        expect(response.body.error.code).to.equal('BAD_REQUEST');
        expect(response.headers).to.match(/content-type: application\/json/i);
      }
    });
  });

  describe('probes on the operations port', () => {
    it('when the public port is asked for metrics or readiness, then 404: only /health/live is public', async () => {
      expect((await fetch(`${http1.url}/health/live`)).status).to.equal(200);
      expect((await fetch(`${http1.url}/health/ready`)).status).to.equal(404);
      expect((await fetch(`${http1.url}/metrics`)).status).to.equal(404);
      expect((await fetch(`${http1.opsUrl}/metrics`)).status).to.equal(200);
      expect(await (await fetch(`${http1.opsUrl}/metrics`)).text()).to.contain('http_request_duration_seconds');
    });

    it('when a dependency is down, then /health/ready answers 503 naming it while /health/live stays 200', async () => {
      ready = false;
      try {
        const response = await fetch(`${http1.opsUrl}/health/ready`);
        expect(response.status).to.equal(503);
        expect(await response.json()).to.deep.equal({ status: 'unavailable', serving: true, checks: { database: 'unavailable' } });
        expect((await fetch(`${http1.opsUrl}/health/live`)).status).to.equal(200);
      } finally {
        ready = true;
      }
    });
  });

  describe('start and drain', () => {
    it('when a process has not opened yet (waiting for its database), then routes answer 503 and readiness says so', async () => {
      const starting = await startHttp({ name: 'starting', logger, host: '127.0.0.1', port: 0, opsPort: 0, routes: (r) => r.get('/x', (_q, s) => void s.json({})) });
      try {
        const response = await fetch(`${starting.url}/x`);
        expect(response.status).to.equal(503);
        expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('SERVICE_UNAVAILABLE');
        expect((await fetch(`${starting.url}/health/live`)).status).to.equal(200);
        expect((await fetch(`${starting.opsUrl}/health/ready`)).status).to.equal(503);
        starting.open();
        expect((await fetch(`${starting.url}/x`)).status).to.equal(200);
        expect((await fetch(`${starting.opsUrl}/health/ready`)).status).to.equal(200);
      } finally {
        await starting.drain(500);
        await starting.closeOps();
      }
    });

    it('when it drains with a keep-alive request in flight, then readiness is 503 at once, the request finishes with Connection: close, and idle keep-alive connections are closed', async () => {
      const draining = await startHttp({
        name: 'draining',
        logger,
        host: '127.0.0.1',
        port: 0,
        opsPort: 0,
        routes: (router) =>
          router.get('/slow', async (_req, res) => {
            await new Promise((resolve) => setTimeout(resolve, 400));
            res.json({ finished: true });
          }),
      });
      draining.open();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      const get = (path: string) =>
        new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
          http
            .get(`${draining.url}${path}`, { agent }, (res) => {
              let body = '';
              res.on('data', (c) => (body += c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
            })
            .on('error', reject);
        });
      try {
        // One idle keep-alive connection, one busy one.
        expect((await get('/health/live')).connection).to.equal('keep-alive');
        const inFlight = get('/slow');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = Date.now();
        const drained = draining.drain(5_000);
        expect((await fetch(`${draining.opsUrl}/health/ready`)).status, 'readiness at once').to.equal(503);
        const answer = await inFlight;
        expect(answer.status).to.equal(200);
        expect(JSON.parse(answer.body)).to.deep.equal({ finished: true });
        expect(answer.connection).to.equal('close');
        await drained;
        expect(Date.now() - started, 'drained as soon as the request finished').to.be.below(2_000);
        let refused: unknown;
        await get('/health/live').catch((err: unknown) => (refused = err));
        expect(refused, 'no new connections after the drain').to.be.instanceOf(Error);
      } finally {
        agent.destroy();
        await draining.closeOps();
      }
    });
  });
});
