import Joi from 'joi';
import {
  answerCacheConfigKeys,
  commonConfigKeys,
  consumerConfigKeys,
  backboneConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  type CommonConfig,
  type ConsumerConfig,
  type AnswerCacheConfig,
  type BackboneConfig,
} from '@shop/platform';

export interface CatalogConfig extends CommonConfig, BackboneConfig, ConsumerConfig, AnswerCacheConfig {
  JWKS_URL: string;
  SHOP_CURRENCY: string;
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
  ...answerCacheConfigKeys('shopper answers (product pages, listings, the category tree)'),
});

/** Reads the catalog's settings from the environment; throws naming every bad key. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CatalogConfig> {
  return loadConfig(catalogConfigSchema, env);
}
