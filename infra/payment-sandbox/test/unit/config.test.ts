import { expect } from 'chai';
import { loadSandboxConfig } from '../../src/config';

describe('sandbox config', () => {
  it('when nothing is set, then the documented defaults', () => {
    const config = loadSandboxConfig({});

    expect(config).to.deep.include({
      PORT: 4010,
      OPS_PORT: 9010,
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_payment_sandbox',
      PROVIDER_API_KEY: 'sandbox-key',
      WEBHOOK_SECRET: 'dev-payment-webhook-secret',
      WEBHOOK_RETRY_FIRST_MS: 1_000,
      WEBHOOK_RETRY_MAX_MS: 60_000,
    });
    expect(config.WEBHOOK_URL).to.equal(undefined);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('when WEBHOOK_URL is empty, then it is unset (events stored, not sent)', () => {
    expect(loadSandboxConfig({ WEBHOOK_URL: '' }).WEBHOOK_URL).to.equal(undefined);
  });

  it('when WEBHOOK_URL is not an http(s) URL or a number is not a number, then it throws naming every bad key', () => {
    expect(() => loadSandboxConfig({ WEBHOOK_URL: 'ftp://x', WEBHOOK_RETRY_MAX_MS: 'soon' })).to.throw(/WEBHOOK_URL.*WEBHOOK_RETRY_MAX_MS/);
  });

  it('when PORT is 0, then OPS_PORT is 0 too (both random, for tests)', () => {
    expect(loadSandboxConfig({ PORT: '0' }).OPS_PORT).to.equal(0);
  });
});
