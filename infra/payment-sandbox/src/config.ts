import Joi from 'joi';
import { commonConfigKeys, databaseConfigKeys, loadConfig, opsPort, type CommonConfig, type DatabaseConfig } from '@shop/platform';

/** The sandbox payment provider's settings, validated once at start-up. */
export interface SandboxConfig extends CommonConfig, DatabaseConfig {
  PROVIDER_API_KEY: string;
  /** Where a shopper's browser reaches the sandbox (no trailing slash): PayPal approval pages are under it. */
  PUBLIC_URL: string;
  /** Unset: events are stored (and listed at GET /v1/events) but not sent. */
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET: string;
  WEBHOOK_RETRY_FIRST_MS: number;
  WEBHOOK_RETRY_MAX_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_POLL_INTERVAL_MS: number;
  IDEMPOTENCY_KEY_TTL_HOURS: number;
}

export const sandboxConfigSchema = Joi.object<SandboxConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(4010).description('HTTP port of the sandbox payment provider'),
  OPS_PORT: opsPort(9010),
  ...databaseConfigKeys('postgres://postgres@127.0.0.1:5432/shop_payment_sandbox'),
  PROVIDER_API_KEY: Joi.string().min(1).max(200).default('sandbox-key').description('the key every /v1 request must send as X-Api-Key'),
  PUBLIC_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .pattern(/^[^?#]*$/, 'no query or fragment')
    .replace(/\/+$/, '')
    .default('http://localhost:4010')
    .description("the address a shopper's browser reaches the sandbox on: a PayPal approval's approvalUrl is <PUBLIC_URL>/paypal/<id>"),
  WEBHOOK_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty('')
    .description('where events are POSTed (the payment service\'s /webhooks/payments); unset: events are stored and not sent'),
  WEBHOOK_SECRET: Joi.string().min(1).default('dev-payment-webhook-secret').description('HMAC secret of the X-Signature header on every webhook'),
  WEBHOOK_RETRY_FIRST_MS: Joi.number().integer().min(1).default(1_000).description('wait before the first retry of a webhook that was not answered 2xx; doubles with each failure'),
  WEBHOOK_RETRY_MAX_MS: Joi.number().integer().min(1).default(60_000).description('the longest wait between two attempts to deliver one webhook'),
  WEBHOOK_TIMEOUT_MS: Joi.number()
    .integer()
    .min(50)
    // The event's row stays locked while it is sent; PostgreSQL ends a transaction idle for 60 s.
    .max(30_000)
    .default(10_000)
    .description('an attempt not answered within this counts as failed (and is retried)'),
  WEBHOOK_POLL_INTERVAL_MS: Joi.number().integer().min(10).default(1_000).description('how often the delivery job looks for events due (new ones wake it at once)'),
  IDEMPOTENCY_KEY_TTL_HOURS: Joi.number().min(0.001).default(24).description('how long an Idempotency-Key and its stored answer are kept'),
});

/** Reads the sandbox's settings from the environment; throws naming every bad key. */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): Readonly<SandboxConfig> {
  return loadConfig(sandboxConfigSchema, env);
}
