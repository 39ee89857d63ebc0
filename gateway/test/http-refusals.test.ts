import { expect } from 'chai';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';
import { rawRequest } from './raw-http';

describe('gateway', () => {
  describe('requests the HTTP parser refuses', () => {
    let f: GatewayFixture;
    before(async () => {
      f = await startGatewayFixture();
    });
    after(() => f.stop());

    it('when the headers are larger than the parser allows (20 kB), then 431 HEADERS_TOO_LARGE in the error shape, on the public and the operations port', async () => {
      const request = `GET /api/v1/customers/me HTTP/1.1\r\nHost: gateway\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
      const seen = f.customer.seen.length;

      for (const baseUrl of [f.gateway.url, f.gateway.opsUrl]) {
        const response = await rawRequest(baseUrl, request);

        expect(response.status, baseUrl).to.equal(431);
        expect(response.headers['content-type'], baseUrl).to.match(/^application\/json/);
        expect(response.headers.connection, baseUrl).to.equal('close');
        expect(response.body.error, baseUrl).to.include({ code: 'HEADERS_TOO_LARGE' });
        expect(response.body.error.message, baseUrl).to.be.a('string');
      }
      expect(f.customer.seen.length).to.equal(seen);
    });

    it('when a header holds a bare CR, then 400 BAD_REQUEST in the error shape, on the public and the operations port', async () => {
      const request = 'GET /api/v1/customers/me HTTP/1.1\r\nHost: gateway\r\nX-Smuggled: a\rb\r\n\r\n';
      const seen = f.customer.seen.length;

      for (const baseUrl of [f.gateway.url, f.gateway.opsUrl]) {
        const response = await rawRequest(baseUrl, request);

        expect(response.status, baseUrl).to.equal(400);
        expect(response.headers['content-type'], baseUrl).to.match(/^application\/json/);
        expect(response.body.error, baseUrl).to.include({ code: 'BAD_REQUEST' });
        expect(response.body.error.message, baseUrl).to.be.a('string');
      }
      expect(f.customer.seen.length).to.equal(seen);
    });
  });
});
