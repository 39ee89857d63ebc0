import { expect } from 'chai';
import { loadPaymentConfig, paymentConfigSchema } from '../src/config';

describe('payment config', () => {
  it('when nothing is set, then the provider webhook of a capture is waited for 60 s and authorizations are retried for 2 s', () => {
    const config = loadPaymentConfig({});

    expect(config.CAPTURE_CONFIRMATION_WAIT_MS).to.equal(60_000);
    expect(config.AUTHORIZE_RETRY_WINDOW_MS).to.equal(2_000);
  });

  it('when CAPTURE_CONFIRMATION_WAIT_MS is set, then it is read as a number', () => {
    const config = loadPaymentConfig({ CAPTURE_CONFIRMATION_WAIT_MS: '300' });

    expect(config.CAPTURE_CONFIRMATION_WAIT_MS).to.equal(300);
  });

  it('when CAPTURE_CONFIRMATION_WAIT_MS is not a number of milliseconds of at least 50, then loading fails naming the key', () => {
    expect(() => loadPaymentConfig({ CAPTURE_CONFIRMATION_WAIT_MS: '1m' })).to.throw(/CAPTURE_CONFIRMATION_WAIT_MS/);
    expect(() => loadPaymentConfig({ CAPTURE_CONFIRMATION_WAIT_MS: '10' })).to.throw(/CAPTURE_CONFIRMATION_WAIT_MS/);
  });

  it('when the schema is described, then every key has a description', () => {
    const keys = paymentConfigSchema.describe().keys as Record<string, { flags?: { description?: string } }>;

    const undescribed = Object.entries(keys).filter(([, key]) => !key.flags?.description).map(([name]) => name);

    expect(keys).to.have.property('CAPTURE_CONFIRMATION_WAIT_MS');
    expect(undescribed).to.deep.equal([]);
  });
});
