import Joi from 'joi';
import {
  amqpUrl,
  commonConfigKeys,
  consumerConfigKeys,
  databaseConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  outboxPollIntervalMs,
  type CommonConfig,
  type ConsumerConfig,
  type DatabaseConfig,
} from '@shop/platform';

export interface CatalogConfig extends CommonConfig, DatabaseConfig, ConsumerConfig {
  AMQP_URL: string;
  JWKS_URL: string;
  SHOP_CURRENCY: string;
  OUTBOX_POLL_INTERVAL_MS: number;
}

export const catalogConfigSchema = Joi.object<CatalogConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3002).description('HTTP port of the catalog service'),
  OPS_PORT: opsPort(9002),
  ...databaseConfigKeys('postgres://postgres@127.0.0.1:5432/shop_catalog'),
  AMQP_URL: amqpUrl(),
  JWKS_URL: jwksUrl(),
  SHOP_CURRENCY: Joi.string()
    .length(3)
    .uppercase()
    .pattern(/^[A-Z]{3}$/)
    .default('USD')
    .description('the one currency (ISO 4217) every price in the catalog is in'),
  OUTBOX_POLL_INTERVAL_MS: outboxPollIntervalMs(),
  ...consumerConfigKeys(),
});

/** Reads the catalog's settings from the environment; throws naming every bad key. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CatalogConfig> {
  return loadConfig(catalogConfigSchema, env);
}
