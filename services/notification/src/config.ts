import Joi from 'joi';
import {
  commonConfigKeys,
  consumerConfigKeys,
  jwksUrl,
  mailSealKey,
  retryDelaysMs,
  backboneConfigKeys,
  loadConfig,
  opsPort,
  type CommonConfig,
  type ConsumerConfig,
  type BackboneConfig,
} from '@shop/platform';

/** The notification worker's settings, validated once at start-up. */
export interface NotificationConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  SMTP_HOST: string;
  SMTP_PORT: number;
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  MAIL_FROM: string;
  SHOP_NAME: string;
  MAIL_POLL_INTERVAL_MS: number;
  MAIL_CLAIM_LEASE_MS: number;
  MAIL_SEND_CONCURRENCY: number;
  MAIL_RETRY_DELAYS_MS: readonly number[];
  SMTP_PROBE_INTERVAL_MS: number;
  MAIL_SEAL_KEY: string;
  PUBLIC_BASE_URL: string;
  ALERT_EMAIL: string;
  JWKS_URL: string;
}

export const notificationConfigSchema = Joi.object<NotificationConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3007).description('HTTP port of the worker'),
  OPS_PORT: opsPort(9007),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_notification'),
  SMTP_HOST: Joi.string().hostname().default('127.0.0.1').description('SMTP server that delivers the mails'),
  SMTP_PORT: Joi.number().port().default(1025).description('SMTP server port (1025: the local sink / Mailpit)'),
  SMTP_SECURE: Joi.boolean().default(false).description('TLS from the first byte (port 465); otherwise STARTTLS when the server offers it'),
  SMTP_USER: Joi.string().description('SMTP login; set together with SMTP_PASSWORD, or neither for an open relay'),
  SMTP_PASSWORD: Joi.string().description('SMTP password; set together with SMTP_USER'),
  MAIL_FROM: Joi.string().default('"Shop" <no-reply@shop.local>').description('From header of every mail'),
  SHOP_NAME: Joi.string().max(100).default('Shop').description('shop name used in subjects and greetings'),
  MAIL_POLL_INTERVAL_MS: Joi.number().integer().min(10).default(1_000).description('how often queued mails that are due are looked for (a new mail is sent at once)'),
  MAIL_CLAIM_LEASE_MS: Joi.number()
    .integer()
    .min(1_000)
    .default(30_000)
    .description('a claimed mail whose worker has not renewed the claim for this long (it died mid-send) is claimed and sent again; a worker renews its claims every third of this while it holds them'),
  MAIL_SEND_CONCURRENCY: Joi.number()
    .integer()
    .min(1)
    .max(50)
    .default(8)
    .description('mails sent at the same time, each over its own SMTP connection: a busy shop is not held to one SMTP conversation at a time'),
  MAIL_RETRY_DELAYS_MS: retryDelaysMs()
    .default([1_000, 5_000, 25_000])
    .description('backoff before each retry of a mail the SMTP server refused for a transient reason (comma-separated ms): one retry per delay, then the mail is failed for review'),
  SMTP_PROBE_INTERVAL_MS: Joi.number()
    .integer()
    .min(100)
    .default(2_000)
    .description('while the SMTP server is unreachable, sending pauses (no mail spends its retries on the outage) and the server is tried this often'),
  MAIL_SEAL_KEY: mailSealKey(),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://localhost:8080').description('the storefront: the links in mails point below it'),
  ALERT_EMAIL: Joi.string()
    .email({ tlds: false })
    .when('NODE_ENV', { is: 'production', then: Joi.required(), otherwise: Joi.optional().default('admin@shop.local') })
    .description('where staff alerts go (low and out of stock, failed refunds, unknown tracking numbers); required in production'),
  JWKS_URL: jwksUrl(),
  ...consumerConfigKeys(),
}).and('SMTP_USER', 'SMTP_PASSWORD');

/** Reads the worker's settings from the environment; throws naming every bad key. */
export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): Readonly<NotificationConfig> {
  return loadConfig(notificationConfigSchema, env);
}
