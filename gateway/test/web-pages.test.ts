import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('gateway', () => {
  describe('the storefront and admin pages (WEB_DIR)', () => {
    let f: GatewayFixture;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'web-'));
      mkdirSync(path.join(dir, 'assets'));
      mkdirSync(path.join(dir, 'admin'));
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>storefront</title>');
      writeFileSync(path.join(dir, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
      writeFileSync(path.join(dir, 'assets', 'storefront-abc123.js'), 'console.log(1)');
      writeFileSync(path.join(dir, 'assets', 'storefront-abc123.js.gz'), gzipSync('console.log(1)'));
      f = await startGatewayFixture({ WEB_DIR: dir });
    });
    after(async () => {
      await f.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('when a browser opens a client route, then the storefront page, revalidated every time, under a policy that keeps scripts to this origin', async () => {
      for (const route of ['/', '/products/123', '/verify?token=abc', '/orders/9/']) {
        const response = await f.api.get(route, { headers: HTML });
        expect(response.status, route).to.equal(200);
        expect(response.body, route).to.contain('<title>storefront</title>');
        expect(response.headers.get('cache-control'), route).to.equal('no-cache');
        expect(response.headers.get('content-security-policy'), route).to.contain("script-src 'self'").and.not.contain('upgrade-insecure-requests');
      }
    });

    it('when a browser opens /admin or a route below it, then the admin page', async () => {
      for (const route of ['/admin', '/admin/', '/admin/orders/1']) {
        const response = await f.api.get(route, { headers: HTML });
        expect(response.status, route).to.equal(200);
        expect(response.body, route).to.contain('<title>admin</title>');
      }
    });

    it('when a hashed asset is asked for, then it is cached for a year as immutable', async () => {
      const response = await f.api.get('/assets/storefront-abc123.js');
      expect(response.status).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).to.contain('javascript');
    });

    it('when the browser takes gzip, then the asset is the gzipped file the build wrote, as JavaScript', async () => {
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = request(`${f.gateway.url}/assets/storefront-abc123.js`, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(headers['content-encoding']).to.equal('gzip');
      expect(headers['content-type']).to.contain('javascript');
      expect(headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      expect(headers.vary).to.contain('Accept-Encoding');
      expect(body.equals(gzipSync('console.log(1)'))).to.equal(true);
    });

    it('when an API path, a missing asset or a page without Accept text/html is asked for, then 404 NOT_FOUND in the error shape, not a page', async () => {
      for (const [route, headers] of [
        ['/api/v1/nope', HTML],
        ['/assets/missing-1.js', HTML],
        ['/favicon.ico', HTML],
        ['/products/123', {}],
        ['/health/ready', HTML],
      ] as const) {
        const response = await f.api.get(route, { headers });
        expect(response.status, route).to.equal(404);
        expect(response.body.error.code, route).to.equal('NOT_FOUND');
      }
    });
  });
});
