import { expect } from 'chai';
import { loadPaymentConfig } from '../src/config';

describe('payment config: PayPal', () => {
  it('when nothing is set, then shoppers come back to the local shop on port 8080 and an approval is waited for 30 minutes', () => {
    const config = loadPaymentConfig({});

    expect(config.PAYPAL_RETURN_ORIGINS).to.deep.equal(['http://localhost:8080', 'http://127.0.0.1:8080']);
    expect(config.PAYPAL_APPROVAL_TTL_MS).to.equal(1_800_000);
    expect(config.JWKS_URL).to.equal('http://127.0.0.1:3001/auth/jwks');
  });

  it('when PAYPAL_RETURN_ORIGINS lists origins, then they are read as browsers name them (spaces, a trailing slash and letter case aside)', () => {
    const config = loadPaymentConfig({ PAYPAL_RETURN_ORIGINS: ' https://Shop.Example/ , http://localhost:3000,https://shop.example:443' });

    expect(config.PAYPAL_RETURN_ORIGINS).to.deep.equal(['https://shop.example', 'http://localhost:3000', 'https://shop.example']);
    expect(Object.isFrozen(config.PAYPAL_RETURN_ORIGINS)).to.equal(true);
  });

  it('when PAYPAL_RETURN_ORIGINS holds something that is not an http(s) origin, then loading fails naming the key', () => {
    for (const value of ['javascript:alert(1)', 'https://shop.example/checkout', 'https://shop.example?x=1', 'shop.example', 'https://shop.example,', 'ftp://shop.example', 'https://user@shop.example']) {
      expect(() => loadPaymentConfig({ PAYPAL_RETURN_ORIGINS: value }), value).to.throw(/PAYPAL_RETURN_ORIGINS/);
    }
  });

  it('when PAYPAL_APPROVAL_TTL_MS is set, then it is read as a number of at least one second', () => {
    expect(loadPaymentConfig({ PAYPAL_APPROVAL_TTL_MS: '1500' }).PAYPAL_APPROVAL_TTL_MS).to.equal(1500);
    expect(() => loadPaymentConfig({ PAYPAL_APPROVAL_TTL_MS: '999' })).to.throw(/PAYPAL_APPROVAL_TTL_MS/);
    expect(() => loadPaymentConfig({ PAYPAL_APPROVAL_TTL_MS: '30m' })).to.throw(/PAYPAL_APPROVAL_TTL_MS/);
  });
});
