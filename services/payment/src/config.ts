import Joi from 'joi';
import {
  backboneConfigKeys,
  commonConfigKeys,
  consumerConfigKeys,
  jwksUrl,
  loadConfig,
  opsPort,
  sharedSecret,
  type BackboneConfig,
  type CommonConfig,
  type ConsumerConfig,
} from '@shop/platform';
import { httpOriginOf } from './domain/paypal.js';

/** The payment service's settings, validated once at start-up. */
export interface PaymentConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  JWKS_URL: string;
  PAYMENT_PROVIDER_URL: string;
  PAYMENT_PROVIDER_API_KEY: string;
  PAYMENT_WEBHOOK_SECRET: string;
  PROVIDER_TIMEOUT_MS: number;
  AUTHORIZE_RETRY_WINDOW_MS: number;
  PROVIDER_JOB_INTERVAL_MS: number;
  PROVIDER_RETRY_MAX_DELAY_MS: number;
  CAPTURE_CONFIRMATION_WAIT_MS: number;
  PAYPAL_RETURN_ORIGINS: readonly string[];
  PAYPAL_APPROVAL_TTL_MS: number;
}

// Frozen: joi hands out this very array as the default, to every config it builds.
const DEFAULT_RETURN_ORIGINS: readonly string[] = Object.freeze(['http://localhost:8080', 'http://127.0.0.1:8080']);

/**
 * `PAYPAL_RETURN_ORIGINS`: `'https://shop.example, https://www.shop.example'` -> the origins as
 * browsers name them; each must be an http(s) origin with no path, query or fragment.
 */
const returnOrigins = () =>
  Joi.string()
    .trim()
    .custom((value: string, helpers) => {
      const origins = value.split(',').map((part) => originOnly(part.trim()));
      if (origins.some((origin) => origin === undefined)) return helpers.error('any.invalid');
      return Object.freeze(origins as string[]);
    })
    .default(DEFAULT_RETURN_ORIGINS)
    .description("the shop's origins a shopper may be sent back to from PayPal (comma-separated, e.g. https://shop.example); any other returnUrl or cancelUrl is refused");

export const paymentConfigSchema = Joi.object<PaymentConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3006).description('HTTP port of the payment service'),
  OPS_PORT: opsPort(9006),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_payment'),
  JWKS_URL: jwksUrl(),
  PAYMENT_PROVIDER_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:4010').description('base URL of the card processor (the sandbox provider locally)'),
  PAYMENT_PROVIDER_API_KEY: Joi.string().min(1).default('sandbox-key').description("the shop's API key at the card processor"),
  PAYMENT_WEBHOOK_SECRET: sharedSecret('dev-payment-webhook-secret', "the key the card processor signs its webhooks with (X-Signature)"),
  PROVIDER_TIMEOUT_MS: Joi.number().integer().min(50).default(1_500).description('a call to the card processor that has not answered by then has failed'),
  AUTHORIZE_RETRY_WINDOW_MS: Joi.number()
    .integer()
    .min(0)
    .default(2_000)
    .description('a failed or timed-out authorization is retried with the same idempotency key until this much time has passed, then the payment fails (provider_error)'),
  PROVIDER_JOB_INTERVAL_MS: Joi.number().integer().min(50).default(5_000).description('how often captures and voids the provider has not confirmed yet are tried again'),
  PROVIDER_RETRY_MAX_DELAY_MS: Joi.number().integer().min(100).default(300_000).description('the longest wait between two attempts of a capture or void the provider refused to take'),
  CAPTURE_CONFIRMATION_WAIT_MS: Joi.number()
    .integer()
    .min(50)
    .default(60_000)
    .description("how long the provider's capture webhook may take after the capture was asked for before the provider job asks the provider itself how the capture went"),
  PAYPAL_RETURN_ORIGINS: returnOrigins(),
  PAYPAL_APPROVAL_TTL_MS: Joi.number()
    .integer()
    .min(1_000)
    .default(1_800_000)
    .description('a PayPal payment nobody approved within this long after checkout fails (approval_expired): its approval is withdrawn at the provider, and payment.failed has the order cancelled'),
  ...consumerConfigKeys(),
});

function originOnly(text: string): string | undefined {
  const origin = httpOriginOf(text);
  if (origin === undefined) return undefined;
  const url = new URL(text);
  return url.pathname === '/' && !url.search && !url.hash && !text.endsWith('#') && !text.endsWith('?') ? origin : undefined;
}

/** Reads the payment service's settings from the environment; throws naming every bad key. */
export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env): Readonly<PaymentConfig> {
  return loadConfig(paymentConfigSchema, env);
}
