import { expect } from 'chai';
import { inventoryConfigSchema, loadInventoryConfig } from '../../src/config';

describe('inventory config', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadInventoryConfig({});
    expect(config).to.include({
      PORT: 3003,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_inventory',
      JWKS_URL: 'http://127.0.0.1:3001/auth/jwks',
      DEFAULT_LOW_STOCK_THRESHOLD: 5,
      CATALOG_SERVICE_URL: 'http://127.0.0.1:3002',
      CATALOG_BACKFILL: true,
      CATALOG_FEED_PAGE_SIZE: 200,
    });
    expect(config.CONSUMER_RETRY_DELAYS_MS).to.deep.equal([1000, 5000, 25000, 60000]);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('when retry delays are given as a comma list, then they become numbers', () => {
    expect(loadInventoryConfig({ CONSUMER_RETRY_DELAYS_MS: '50, 100,200' }).CONSUMER_RETRY_DELAYS_MS).to.deep.equal([50, 100, 200]);
  });

  it('when CATALOG_BACKFILL is false, then the backfill is off', () => {
    expect(loadInventoryConfig({ CATALOG_BACKFILL: 'false' }).CATALOG_BACKFILL).to.equal(false);
  });

  it('when a setting is invalid, then loading fails naming it', () => {
    expect(() => loadInventoryConfig({ DEFAULT_LOW_STOCK_THRESHOLD: '-1' })).to.throw(/DEFAULT_LOW_STOCK_THRESHOLD/);
    expect(() => loadInventoryConfig({ CONSUMER_RETRY_DELAYS_MS: '1000,soon' })).to.throw(/CONSUMER_RETRY_DELAYS_MS/);
    expect(() => loadInventoryConfig({ JWKS_URL: 'not a url' })).to.throw(/JWKS_URL/);
    expect(() => loadInventoryConfig({ CATALOG_SERVICE_URL: 'catalog' })).to.throw(/CATALOG_SERVICE_URL/);
    expect(() => loadInventoryConfig({ CATALOG_BACKFILL: 'sometimes' })).to.throw(/CATALOG_BACKFILL/);
    expect(() => loadInventoryConfig({ CATALOG_FEED_PAGE_SIZE: '501' })).to.throw(/CATALOG_FEED_PAGE_SIZE/);
  });

  it('then every key is described', () => {
    const keys = inventoryConfigSchema.describe().keys as Record<string, { flags?: { description?: string } }>;
    for (const [key, description] of Object.entries(keys)) expect(description.flags?.description, key).to.be.a('string');
  });
});
