import { expect } from 'chai';
import Joi from 'joi';
import { commonConfigKeys, loadConfig, retryDelaysMs, sharedSecret } from '../src';

const schema = Joi.object({
  PORT: Joi.number().port().required(),
  DATABASE_URL: Joi.string().uri().required(),
  CONSUMER_RETRY_DELAYS_MS: retryDelaysMs(),
});

describe('platform: configuration', () => {
  it('when settings are valid, then they come back converted and frozen, unknown variables left out', () => {
    const config = loadConfig(schema, { PORT: '3001', DATABASE_URL: 'postgres://h/db', PATH: '/bin' }) as Record<string, unknown>;
    expect(config).to.deep.equal({ PORT: 3001, DATABASE_URL: 'postgres://h/db', CONSUMER_RETRY_DELAYS_MS: [1000, 5000, 25000, 60000] });
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('when settings are missing or bad, then loading fails naming every one of them', () => {
    expect(() => loadConfig(schema, { PORT: 'eighty', CONSUMER_RETRY_DELAYS_MS: '1,x' })).to.throw(/PORT.*DATABASE_URL.*CONSUMER_RETRY_DELAYS_MS/);
  });

  it('when retry delays are given, then they are parsed; too many or out of range are refused', () => {
    expect((loadConfig(schema, { PORT: '1', DATABASE_URL: 'x://y', CONSUMER_RETRY_DELAYS_MS: '50, 60,70' }) as Record<string, unknown>).CONSUMER_RETRY_DELAYS_MS).to.deep.equal([50, 60, 70]);
    expect(() => loadConfig(schema, { PORT: '1', DATABASE_URL: 'x://y', CONSUMER_RETRY_DELAYS_MS: '0' })).to.throw(/CONSUMER_RETRY_DELAYS_MS/);
    expect(() => loadConfig(schema, { PORT: '1', DATABASE_URL: 'x://y', CONSUMER_RETRY_DELAYS_MS: Array(11).fill('5').join(',') })).to.throw(/CONSUMER_RETRY_DELAYS_MS/);
  });

  describe('shared secrets', () => {
    const secrets = Joi.object({ NODE_ENV: commonConfigKeys.NODE_ENV, WEBHOOK_SECRET: sharedSecret('dev-webhook-secret', 'signs webhooks') });
    const load = (env: Record<string, string>) => loadConfig(secrets, env) as Record<string, unknown>;

    it('when not in production, then the development value is the default', () => {
      expect(load({}).WEBHOOK_SECRET).to.equal('dev-webhook-secret');
    });
    it('when in production, then it must be set, long enough, and not the development value', () => {
      expect(() => load({ NODE_ENV: 'production' })).to.throw(/WEBHOOK_SECRET/);
      expect(() => load({ NODE_ENV: 'production', WEBHOOK_SECRET: 'dev-webhook-secret' })).to.throw(/WEBHOOK_SECRET/);
      expect(() => load({ NODE_ENV: 'production', WEBHOOK_SECRET: 'short' })).to.throw(/WEBHOOK_SECRET/);
      expect(load({ NODE_ENV: 'production', WEBHOOK_SECRET: 'a-long-production-secret' }).WEBHOOK_SECRET).to.equal('a-long-production-secret');
    });
  });
});
