import Joi from 'joi';
import { amqpUrl, commonConfigKeys, databaseUrl, jwksUrl, loadConfig, outboxPollIntervalMs, retryDelaysMs, type CommonConfig } from '@shop/platform';

/** The inventory service's settings, validated once at start-up. */
export interface InventoryConfig extends CommonConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  AMQP_URL: string;
  JWKS_URL: string;
  DEFAULT_LOW_STOCK_THRESHOLD: number;
  OUTBOX_POLL_INTERVAL_MS: number;
  CONSUMER_RETRY_DELAYS_MS: readonly number[];
}

export const inventoryConfigSchema = Joi.object<InventoryConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3003).description('HTTP port of the inventory service'),
  DATABASE_URL: databaseUrl().default('postgres://postgres@127.0.0.1:5432/shop_inventory'),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10).description('connections to PostgreSQL; each reservation holds one while its stock rows are locked'),
  AMQP_URL: amqpUrl(),
  JWKS_URL: jwksUrl(),
  DEFAULT_LOW_STOCK_THRESHOLD: Joi.number().integer().min(0).default(5).description('low-stock threshold of a new variant, until an admin sets its own'),
  OUTBOX_POLL_INTERVAL_MS: outboxPollIntervalMs(),
  CONSUMER_RETRY_DELAYS_MS: retryDelaysMs(),
});

/** Reads the service's settings from the environment; throws naming every bad key. */
export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): Readonly<InventoryConfig> {
  return loadConfig(inventoryConfigSchema, env);
}
