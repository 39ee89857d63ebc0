import Joi from 'joi';
import {
  answerCacheConfigKeys,
  backboneConfigKeys,
  commonConfigKeys,
  consumerConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  serviceUrl,
  type AnswerCacheConfig,
  type BackboneConfig,
  type CommonConfig,
  type ConsumerConfig,
} from '@shop/platform';

/** The cart service's settings, validated once at start-up. */
export interface CartConfig extends CommonConfig, BackboneConfig, ConsumerConfig, AnswerCacheConfig {
  JWKS_URL: string;
  SHOP_CURRENCY: string;
  INVENTORY_SERVICE_URL: string;
  CATALOG_SERVICE_URL: string;
  SERVICE_CALL_TIMEOUT_MS: number;
  CART_TTL_DAYS: number;
  GUEST_CART_TTL_DAYS: number;
  CART_UNDO_WINDOW_SECONDS: number;
  CART_EXPIRY_INTERVAL_MS: number;
  CATALOG_BACKFILL: boolean;
}

export const cartConfigSchema = Joi.object<CartConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3004).description('HTTP port of the cart service'),
  OPS_PORT: opsPort(9004),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_cart'),
  JWKS_URL: jwksUrl(),
  SHOP_CURRENCY: Joi.string().length(3).uppercase().default('USD').description('the currency of an empty cart\'s total (every price is in it)'),
  INVENTORY_SERVICE_URL: serviceUrl('inventory', 3003, 'asked for available stock when a cart changes'),
  CATALOG_SERVICE_URL: serviceUrl('catalog', 3002, "whose product feed fills the cart's product read model at start"),
  SERVICE_CALL_TIMEOUT_MS: Joi.number().integer().min(50).default(2_000).description('a call to the inventory or catalog service that has not answered by then fails (503)'),
  CART_TTL_DAYS: Joi.number().min(0.0001).default(30).description("a customer's cart untouched this long is emptied (cart.expired)"),
  GUEST_CART_TTL_DAYS: Joi.number().min(0.0001).default(7).description('a guest cart untouched this long is deleted'),
  CART_UNDO_WINDOW_SECONDS: Joi.number().integer().min(1).default(600).description('how long a removed line can be restored'),
  CART_EXPIRY_INTERVAL_MS: Joi.number().integer().min(100).default(3_600_000).description('how often idle carts are looked for'),
  CATALOG_BACKFILL: Joi.boolean().default(true).description("at start, fill the product and stock read models from the catalog's and inventory's feeds"),
  ...consumerConfigKeys(),
  ...answerCacheConfigKeys('cart answers (GET /cart, one per customer or guest cart)'),
});

/** Reads the cart service's settings from the environment; throws naming every bad key. */
export function loadCartConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CartConfig> {
  return loadConfig(cartConfigSchema, env);
}
