import { expect } from 'chai';
import { loadGatewayConfig } from '../../src/config';

describe('gateway', () => {
  describe('config', () => {
    it('when nothing is set, then the documented defaults apply and the key set is the customer service one', () => {
      const config = loadGatewayConfig({});
      expect(config).to.include({
        PORT: 8080,
        CUSTOMER_SERVICE_URL: 'http://127.0.0.1:3001',
        PAYMENT_SERVICE_URL: 'http://127.0.0.1:3006',
        NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3007',
        JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
        UPSTREAM_TIMEOUT_MS: 5000,
        RATE_LIMIT_MAX: 600,
        AUTH_RATE_LIMIT_MAX: 10,
        ACCESS_TOKEN_TTL_SECONDS: 900,
        OPS_PORT: 9080,
        TRUST_PROXY: false,
      });
      expect(Object.isFrozen(config)).to.equal(true);
    });

    it('when the customer service moves, then the key set follows unless set on its own', () => {
      expect(loadGatewayConfig({ CUSTOMER_SERVICE_URL: 'http://customer:3001/' }).JWKS_URL).to.equal('http://customer:3001/auth/jwks');
      expect(loadGatewayConfig({ CUSTOMER_SERVICE_URL: 'http://customer:3001', JWKS_URL: 'http://keys/jwks' }).JWKS_URL).to.equal('http://keys/jwks');
    });

    it('when settings are bad, then loading fails naming each of them', () => {
      expect(() => loadGatewayConfig({ PORT: 'eighty', CATALOG_SERVICE_URL: 'ftp://x', RATE_LIMIT_MAX: '0' })).to.throw(/PORT.*CATALOG_SERVICE_URL.*RATE_LIMIT_MAX/);
    });

    it('when TRUST_PROXY is not set, then no proxy is trusted to name the client address', () => {
      expect(loadGatewayConfig({}).TRUST_PROXY).to.equal(false);
      expect(loadGatewayConfig({ NODE_ENV: 'production' }).TRUST_PROXY).to.equal(false);
      expect(loadGatewayConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).to.equal('loopback');
    });

    it('when PORT is 0, then the operations port is a random one too; otherwise it defaults to 9080', () => {
      expect(loadGatewayConfig({ PORT: '0' }).OPS_PORT).to.equal(0);
      expect(loadGatewayConfig({ PORT: '8081' }).OPS_PORT).to.equal(9080);
      expect(loadGatewayConfig({ PORT: '0', OPS_PORT: '9181' }).OPS_PORT).to.equal(9181);
    });

    it('when TRUST_PROXY is a hop count or a boolean, then it is typed so', () => {
      expect(loadGatewayConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).to.equal(1);
      expect(loadGatewayConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).to.equal(false);
    });
  });
});
