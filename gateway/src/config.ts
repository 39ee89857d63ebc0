import Joi from 'joi';
import { amqpUrl, commonConfigKeys, loadConfig, opsPort, serviceUrl, type CommonConfig } from '@shop/platform';

/** Which proxies in front of the gateway are trusted to name the client's IP (Express `trust proxy`). */
export type TrustProxy = boolean | number | string;

/** The gateway's settings, validated from the environment at start-up. */
export interface GatewayConfig extends CommonConfig {
  TRUST_PROXY: TrustProxy;
  AMQP_URL: string;
  CUSTOMER_SERVICE_URL: string;
  CATALOG_SERVICE_URL: string;
  INVENTORY_SERVICE_URL: string;
  CART_SERVICE_URL: string;
  ORDER_SERVICE_URL: string;
  PAYMENT_SERVICE_URL: string;
  NOTIFICATION_SERVICE_URL: string;
  JWKS_URL: string;
  UPSTREAM_TIMEOUT_MS: number;
  BREAKER_ERROR_THRESHOLD_PERCENT: number;
  BREAKER_VOLUME_THRESHOLD: number;
  BREAKER_RESET_MS: number;
  RATE_LIMIT_WINDOW_MS: number;
  RATE_LIMIT_MAX: number;
  AUTH_RATE_LIMIT_MAX: number;
  ACCESS_TOKEN_TTL_SECONDS: number;
  WEB_DIR: string;
}

/** The config keys that name an upstream service's base URL; the route table refers to them. */
export type UpstreamKey = Extract<keyof GatewayConfig, `${string}_SERVICE_URL`>;

/** Every setting with its default and description: the gateway's environment, documented in one place. */
export const gatewayConfigSchema = Joi.object<GatewayConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(8080).description('HTTP port of the gateway, the public entry point'),
  OPS_PORT: opsPort(9080),
  TRUST_PROXY: Joi.alternatives(Joi.boolean(), Joi.number().integer().min(0), Joi.string())
    .default(false)
    .description(
      "proxies in front of the gateway whose X-Forwarded-For is believed (Express 'trust proxy': false, a hop count, or addresses/subnets such as '10.0.0.0/8'); rate limits key on the client IP this yields, so trust only your own ingress",
    ),
  AMQP_URL: amqpUrl(),
  CUSTOMER_SERVICE_URL: serviceUrl('customer', 3001),
  CATALOG_SERVICE_URL: serviceUrl('catalog', 3002),
  INVENTORY_SERVICE_URL: serviceUrl('inventory', 3003),
  CART_SERVICE_URL: serviceUrl('cart', 3004),
  ORDER_SERVICE_URL: serviceUrl('order', 3005),
  PAYMENT_SERVICE_URL: serviceUrl('payment', 3006),
  NOTIFICATION_SERVICE_URL: serviceUrl('notification (admin routes)', 3007),
  JWKS_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default((parent: GatewayConfig) => `${parent.CUSTOMER_SERVICE_URL.replace(/\/+$/, '')}/auth/jwks`)
    .description("where the customer service publishes its token keys; defaults to CUSTOMER_SERVICE_URL + '/auth/jwks'"),
  UPSTREAM_TIMEOUT_MS: Joi.number().integer().min(50).default(5_000).description('an upstream that stays silent this long is answered with 503'),
  BREAKER_ERROR_THRESHOLD_PERCENT: Joi.number().min(1).max(100).default(50).description("share of failed calls that opens an upstream's circuit breaker"),
  BREAKER_VOLUME_THRESHOLD: Joi.number().integer().min(1).default(5).description('calls within the rolling window before a breaker may open'),
  BREAKER_RESET_MS: Joi.number().integer().min(50).default(10_000).description('how long an open breaker waits before letting one trial call through'),
  RATE_LIMIT_WINDOW_MS: Joi.number().integer().min(1_000).default(60_000).description('window of both rate limits'),
  RATE_LIMIT_MAX: Joi.number().integer().min(1).default(600).description('requests per window per client IP'),
  AUTH_RATE_LIMIT_MAX: Joi.number().integer().min(1).default(10).description('logins and registrations per window per client IP'),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number()
    .integer()
    .min(30)
    .default(900)
    .description("lifetime of the customer service's access tokens: how long a sessions-invalidated instant is remembered"),
  WEB_DIR: Joi.string()
    .allow('')
    .default('')
    .description("the built storefront and admin (web/dist), served at / and /admin/ beside the API; empty: the gateway serves the API alone"),
});

/** Validates the environment into the gateway's frozen settings; throws naming every bad key. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  return loadConfig(gatewayConfigSchema, env);
}
