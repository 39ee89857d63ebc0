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
        TRUST_PROXY: 'loopback',
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

    it('when TRUST_PROXY is a hop count or a boolean, then it is typed so', () => {
      expect(loadGatewayConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).to.equal(1);
      expect(loadGatewayConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).to.equal(false);
    });
  });
});
