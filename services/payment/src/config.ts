import Joi from 'joi';
import { backboneConfigKeys, commonConfigKeys, consumerConfigKeys, loadConfig, opsPort, sharedSecret, type BackboneConfig, type CommonConfig, type ConsumerConfig } from '@shop/platform';

/** The payment service's settings, validated once at start-up. */
export interface PaymentConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  PAYMENT_PROVIDER_URL: string;
  PAYMENT_PROVIDER_API_KEY: string;
  PAYMENT_WEBHOOK_SECRET: string;
  PROVIDER_TIMEOUT_MS: number;
  AUTHORIZE_RETRY_WINDOW_MS: number;
  PROVIDER_JOB_INTERVAL_MS: number;
  PROVIDER_RETRY_MAX_DELAY_MS: number;
  CAPTURE_CONFIRMATION_WAIT_MS: number;
}

export const paymentConfigSchema = Joi.object<PaymentConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3006).description('HTTP port of the payment service'),
  OPS_PORT: opsPort(9006),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_payment'),
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
  ...consumerConfigKeys(),
});

/** Reads the payment service's settings from the environment; throws naming every bad key. */
export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env): Readonly<PaymentConfig> {
  return loadConfig(paymentConfigSchema, env);
}
