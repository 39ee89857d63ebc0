import Joi from 'joi';
import {
  backboneConfigKeys,
  commonConfigKeys,
  consumerConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  serviceUrl,
  sharedSecret,
  type BackboneConfig,
  type CommonConfig,
  type ConsumerConfig,
} from '@shop/platform';

/** The order service's settings, validated once at start-up. */
export interface OrderConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  JWKS_URL: string;
  CUSTOMER_SERVICE_URL: string;
  CART_SERVICE_URL: string;
  INVENTORY_SERVICE_URL: string;
  PAYMENT_SERVICE_URL: string;
  SERVICE_CALL_TIMEOUT_MS: number;
  PAYMENT_CALL_TIMEOUT_MS: number;
  SHOP_COUNTRY: string;
  SHOP_CURRENCY: string;
  SHIPPING_FLAT: number;
  FREE_SHIPPING_FROM: number;
  TAX_RATE: number;
  CHECKOUT_LEASE_MS: number;
  CHECKOUT_RECOVERY_INTERVAL_MS: number;
  CHECKOUT_RECOVERY_MAX_DELAY_MS: number;
  CARRIER_WEBHOOK_SECRET: string;
}

export const orderConfigSchema = Joi.object<OrderConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3005).description('HTTP port of the order service'),
  OPS_PORT: opsPort(9005),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_order'),
  JWKS_URL: jwksUrl(),
  CUSTOMER_SERVICE_URL: serviceUrl('customer', 3001),
  CART_SERVICE_URL: serviceUrl('cart', 3004),
  INVENTORY_SERVICE_URL: serviceUrl('inventory', 3003),
  PAYMENT_SERVICE_URL: serviceUrl('payment', 3006),
  SERVICE_CALL_TIMEOUT_MS: Joi.number().integer().min(50).default(3_000).description('a call to the customer, cart or inventory service that has not answered by then has failed'),
  PAYMENT_CALL_TIMEOUT_MS: Joi.number()
    .integer()
    .min(50)
    .default(6_000)
    .description('a call to the payment service that has not answered by then has failed; above its own retry window with the provider (2 s)'),
  SHOP_COUNTRY: Joi.string().length(2).uppercase().default('US').description('the one country the shop ships to'),
  SHOP_CURRENCY: Joi.string().length(3).uppercase().default('USD').description('the currency of every price'),
  SHIPPING_FLAT: Joi.number().integer().min(0).default(500).description('shipping cost in minor units below the free-shipping threshold'),
  FREE_SHIPPING_FROM: Joi.number().integer().min(0).default(5000).description('a subtotal (minor units) from which shipping is free'),
  TAX_RATE: Joi.number().min(0).max(1).default(0.08).description('tax on the subtotal, as a fraction (0.08 is 8%), rounded half up to the minor unit'),
  CHECKOUT_LEASE_MS: Joi.number()
    .integer()
    .min(1_000)
    .default(30_000)
    .description('a checkout whose runner has not recorded progress for this long is taken over by the recovery worker; a customer with one waits that long before checking out again'),
  CHECKOUT_RECOVERY_INTERVAL_MS: Joi.number().integer().min(50).default(5_000).description('how often unfinished checkouts are looked for'),
  CHECKOUT_RECOVERY_MAX_DELAY_MS: Joi.number()
    .integer()
    .min(Joi.ref('CHECKOUT_RECOVERY_INTERVAL_MS'))
    .default(300_000)
    .description('a checkout whose recovery keeps failing is tried again after twice the wait of the time before, at most this long'),
  CARRIER_WEBHOOK_SECRET: sharedSecret('dev-carrier-webhook-secret', "the key carriers sign their delivery webhooks with (X-Signature)"),
  ...consumerConfigKeys(),
});

/** Reads the order service's settings from the environment; throws naming every bad key. */
export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): Readonly<OrderConfig> {
  return loadConfig(orderConfigSchema, env);
}
