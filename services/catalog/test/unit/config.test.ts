import { expect } from 'chai';
import { catalogConfigSchema, loadCatalogConfig } from '../../src/config';

describe('catalog config', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadCatalogConfig({});
    expect(config).to.include({
      PORT: 3002,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_catalog',
      JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
      SHOP_CURRENCY: 'USD',
      OUTBOX_POLL_INTERVAL_MS: 1000,
      CACHE_MAX_ENTRIES: 10_000,
      CACHE_MAX_MB: 64,
      CACHE_MAX_STALENESS_MS: 900,
    });
    expect(config.CONSUMER_RETRY_DELAYS_MS).to.deep.equal([1000, 5000, 25000, 60000]);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('when values are given, then they are converted (currency upper-cased, delays split)', () => {
    const config = loadCatalogConfig({ SHOP_CURRENCY: 'eur', CONSUMER_RETRY_DELAYS_MS: '100, 200', PORT: '4000' });
    expect(config).to.include({ SHOP_CURRENCY: 'EUR', PORT: 4000 });
    expect(config.CONSUMER_RETRY_DELAYS_MS).to.deep.equal([100, 200]);
  });

  it('when a value is bad, then start-up fails naming every offending key', () => {
    let message = '';
    try {
      loadCatalogConfig({ SHOP_CURRENCY: 'dollars', CONSUMER_RETRY_DELAYS_MS: '1000,,5', JWKS_URL: 'not a url', CACHE_MAX_STALENESS_MS: '1500', CACHE_MAX_ENTRIES: '-1' });
    } catch (err) {
      message = (err as Error).message;
    }
    // A staleness above a second would break the catalog's freshness promise.
    for (const key of ['SHOP_CURRENCY', 'CONSUMER_RETRY_DELAYS_MS', 'JWKS_URL', 'CACHE_MAX_STALENESS_MS', 'CACHE_MAX_ENTRIES']) expect(message).to.contain(key);
  });

  it('then every key is described', () => {
    const keys = catalogConfigSchema.describe().keys as Record<string, { flags?: { description?: string } }>;
    const undescribed = Object.entries(keys)
      .filter(([, d]) => !d.flags?.description)
      .map(([k]) => k);
    expect(undescribed).to.deep.equal([]);
  });
});
