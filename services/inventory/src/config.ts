import Joi from 'joi';
import {
  commonConfigKeys,
  consumerConfigKeys,
  backboneConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  serviceUrl,
  type CommonConfig,
  type ConsumerConfig,
  type BackboneConfig,
} from '@shop/platform';

/** The inventory service's settings, validated once at start-up. */
export interface InventoryConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  JWKS_URL: string;
  DEFAULT_LOW_STOCK_THRESHOLD: number;
  RESERVATION_TTL_SECONDS: number;
  RESERVATION_SWEEP_INTERVAL_MS: number;
  CATALOG_SERVICE_URL: string;
  CATALOG_BACKFILL: boolean;
  CATALOG_FEED_PAGE_SIZE: number;
}

export const inventoryConfigSchema = Joi.object<InventoryConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3003).description('HTTP port of the inventory service'),
  OPS_PORT: opsPort(9003),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_inventory', 'connections to PostgreSQL; each reservation holds one while its stock rows are locked'),
  JWKS_URL: jwksUrl(),
  DEFAULT_LOW_STOCK_THRESHOLD: Joi.number().integer().min(0).default(5).description('low-stock threshold of a new variant, until an admin sets its own'),
  RESERVATION_TTL_SECONDS: Joi.number()
    .integer()
    .min(1)
    .default(900)
    .description('how long stock held for a checkout stays held unless its order commits it; then it is released'),
  RESERVATION_SWEEP_INTERVAL_MS: Joi.number().integer().min(100).default(30_000).description('how often expired holds are looked for and released'),
  CATALOG_SERVICE_URL: serviceUrl('catalog', 3002, 'whose internal product feed the start-up backfill reads'),
  CATALOG_BACKFILL: Joi.boolean()
    .default(true)
    .description('at start, read the catalog feed and open a stock row (0 on hand) for every variant of a product not deleted that has none, such as products created before this database existed, and give rows without a SKU theirs; false turns it off'),
  CATALOG_FEED_PAGE_SIZE: Joi.number().integer().min(1).max(500).default(200).description('products per page the backfill reads from the catalog feed, each page applied in one transaction'),
  ...consumerConfigKeys(),
});

/** Reads the service's settings from the environment; throws naming every bad key. */
export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): Readonly<InventoryConfig> {
  return loadConfig(inventoryConfigSchema, env);
}
