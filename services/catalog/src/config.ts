import Joi from 'joi';
import {
  commonConfigKeys,
  consumerConfigKeys,
  backboneConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  type CommonConfig,
  type ConsumerConfig,
  type BackboneConfig,
} from '@shop/platform';

export interface CatalogConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  JWKS_URL: string;
  SHOP_CURRENCY: string;
  CACHE_MAX_ENTRIES: number;
  CACHE_MAX_MB: number;
  CACHE_MAX_STALENESS_MS: number;
}

export const catalogConfigSchema = Joi.object<CatalogConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3002).description('HTTP port of the catalog service'),
  OPS_PORT: opsPort(9002),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_catalog'),
  JWKS_URL: jwksUrl(),
  SHOP_CURRENCY: Joi.string()
    .length(3)
    .uppercase()
    .pattern(/^[A-Z]{3}$/)
    .default('USD')
    .description('the one currency (ISO 4217) every price in the catalog is in'),
  ...consumerConfigKeys(),
  CACHE_MAX_ENTRIES: Joi.number()
    .integer()
    .min(0)
    .default(10_000)
    .description('shopper answers (product pages, listings, the category tree) kept in memory, least recently used dropped first; 0 turns the cache off'),
  CACHE_MAX_MB: Joi.number().min(1).default(64).description('memory the kept answers may take, in MB (their bodies)'),
  CACHE_MAX_STALENESS_MS: Joi.number()
    .integer()
    .min(100)
    .max(1000)
    .default(900)
    .description(
      "a kept answer is served only while every change committed more than this long ago is known to be in it (the database's change notifications confirmed within this time, or the answer read within it); at most 1000, the shop's freshness promise",
    ),
});

/** Reads the catalog's settings from the environment; throws naming every bad key. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CatalogConfig> {
  return loadConfig(catalogConfigSchema, env);
}
