import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { createForwarder, type Forwarder } from '../src/forward';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  connectionClosed: boolean;
}

/** A service that records what reached it; `/slow` answers its headers, then never ends its body. */
async function startService(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const record: Seen = { method: req.method, url: req.url, headers: req.headers, body: '', connectionClosed: false };
    seen.push(record);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (record.body += chunk));
    // An exchange that ended normally leaves its keep-alive connection open.
    req.socket.once('close', () => (record.connectionClosed = true));
    req.on('end', () => {
      if (req.url?.endsWith('/slow')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part');
        return;
      }
      res.writeHead(201, 'Made It', [
        ['content-type', 'application/json'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['connection', 'keep-alive, x-hop'],
        ['x-hop', 'private to this connection'],
        ['x-kept', 'yes'],
      ]);
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base/`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A front server that forwards every request to `path` (its own URL) and records how each exchange ended. */
async function startFront(forwarder: Forwarder) {
  const outcomes: string[] = [];
  const server = http.createServer((req, res) =>
    forwarder.forward(req, res, req.url ?? '/', {
      onAnswer: ({ status }) => {
        outcomes.push(`answer ${status}`);
        return ['x-added', 'by the front'];
      },
      onError: (err) => {
        outcomes.push(`error ${err.code ?? err.message}`);
        if (!res.headersSent) res.writeHead(503).end();
      },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    outcomes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('gateway', () => {
  describe('forwarding', () => {
    let service: Awaited<ReturnType<typeof startService>>;
    let forwarder: Forwarder;
    let front: Awaited<ReturnType<typeof startFront>>;
    before(async () => {
      service = await startService();
      forwarder = createForwarder(service.url, 300);
      front = await startFront(forwarder);
    });
    after(async () => {
      await front.close();
      forwarder.close();
      await service.close();
    });

    it("when a request is forwarded, then the service gets it under its base path with its body, its own Host, the client's X-Forwarded-* and no hop-by-hop headers", async () => {
      // http.request, as fetch will not send a Connection header that names other headers.
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${front.url}/things?x=1`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.7', connection: 'keep-alive, x-private', 'x-private': 'for the first hop', 'x-custom': 'kept' },
        });
        request.on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        request.on('error', reject);
        request.end('hello');
      });
      expect(status).to.equal(201);
      const seen = service.seen.at(-1)!;
      expect(seen).to.include({ method: 'POST', url: '/base/things?x=1', body: 'hello' });
      expect(seen.headers.host).to.equal(new URL(service.url).host);
      expect(seen.headers['x-custom']).to.equal('kept');
      expect(seen.headers).not.to.have.property('x-private');
      expect(seen.headers['x-forwarded-for']).to.equal('203.0.113.7,127.0.0.1');
      expect(seen.headers['x-forwarded-proto']).to.equal('http');
      expect(seen.headers['x-forwarded-host']).to.equal(new URL(front.url).host);
      expect(seen.headers['x-forwarded-port']).to.equal(new URL(front.url).port);
    });

    it('when the service answers, then its status, reason, headers (each Set-Cookie) and body reach the client, without its connection-only headers', async () => {
      const answer = await new Promise<http.IncomingMessage & { text?: string }>((resolve, reject) => {
        http
          .get(`${front.url}/answer`, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(Object.assign(res, { text })));
          })
          .on('error', reject);
      });
      expect(answer.statusCode).to.equal(201);
      expect(answer.statusMessage).to.equal('Made It');
      expect(answer.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
      expect(answer.headers['x-kept']).to.equal('yes');
      expect(answer.headers['x-added']).to.equal('by the front');
      expect(answer.headers).not.to.have.property('x-hop');
      expect(JSON.parse(answer.text!)).to.deep.equal({ ok: true });
      expect(front.outcomes.at(-1)).to.equal('answer 201');
    });

    it('when the client goes away in the middle of an answer, then the exchange with the service is cut too', async () => {
      const before = service.seen.length;
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${front.url}/slow`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
      });
      await eventually(() => service.seen[before]?.connectionClosed, 2_000, 'the connection to the service to be closed');
    });

    it('when the service is silent past the timeout or refuses the connection, then the exchange fails with ETIMEDOUT or ECONNREFUSED', async () => {
      const silent = http.createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const toSilent = createForwarder(`http://127.0.0.1:${port}`, 200);
      const silentFront = await startFront(toSilent);
      try {
        expect((await fetch(`${silentFront.url}/x`)).status).to.equal(503);
        expect(silentFront.outcomes).to.deep.equal(['error ETIMEDOUT']);
      } finally {
        await silentFront.close();
        toSilent.close();
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
      const toNobody = createForwarder(`http://127.0.0.1:${port}`, 200);
      const refusedFront = await startFront(toNobody);
      try {
        expect((await fetch(`${refusedFront.url}/x`)).status).to.equal(503);
        expect(refusedFront.outcomes).to.deep.equal(['error ECONNREFUSED']);
      } finally {
        await refusedFront.close();
        toNobody.close();
      }
    });
  });
});
