import { expect } from 'chai';
import Joi from 'joi';
import { loadConfig, retryDelaysMs } from '../src';

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
});
