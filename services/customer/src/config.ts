import Joi from 'joi';
import { commonConfigKeys, mailSealKey, backboneConfigKeys, consumerConfigKeys, loadConfig, opsPort, type CommonConfig, type BackboneConfig, type ConsumerConfig } from '@shop/platform';

export interface CustomerConfig extends CommonConfig, BackboneConfig, ConsumerConfig {
  PUBLIC_BASE_URL: string;
  VERIFY_EMAIL_PATH: string;
  MAIL_SEAL_KEY: string;
  SHOP_COUNTRY: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
  REFRESH_TOKEN_TTL_DAYS: number;
  REFRESH_RETRY_GRACE_SECONDS: number;
  LOGIN_MAX_FAILURES: number;
  LOGIN_FAILURE_WINDOW_SECONDS: number;
  VERIFICATION_RESEND_INTERVAL_SECONDS: number;
  VERIFICATION_RESEND_DAILY_LIMIT: number;
  VERIFICATION_TOKEN_TTL_HOURS: number;
  JWT_PRIVATE_KEY?: string;
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
}

export const customerConfigSchema = Joi.object<CustomerConfig>({
  ...commonConfigKeys,
  PORT: Joi.number().port().default(3001).description('HTTP port of the customer service'),
  OPS_PORT: opsPort(9001),
  ...backboneConfigKeys('postgres://postgres@127.0.0.1:5432/shop_customer'),
  ...consumerConfigKeys(),
  PUBLIC_BASE_URL: Joi.string().uri().default('http://localhost:8080').description('storefront base URL used in e-mail links'),
  VERIFY_EMAIL_PATH: Joi.string()
    .pattern(/^[A-Za-z0-9._~/-]+$/)
    .default('verify')
    .description("the storefront's verification page, below PUBLIC_BASE_URL: the mail's link is <PUBLIC_BASE_URL>/<VERIFY_EMAIL_PATH>?token=..."),
  MAIL_SEAL_KEY: mailSealKey(),
  SHOP_COUNTRY: Joi.string().length(2).uppercase().default('US').description('the only country the shop ships to (ISO 3166-1 alpha-2)'),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(3600).default(900).description('lifetime of a JWT access token'),
  REFRESH_TOKEN_TTL_DAYS: Joi.number().integer().min(1).max(90).default(30).description('lifetime of a session (refresh token)'),
  REFRESH_RETRY_GRACE_SECONDS: Joi.number()
    .integer()
    .min(0)
    .max(60)
    .default(10)
    .description('a refresh token presented again this soon after its use gets the same new pair (a client retry); later it ends the session'),
  LOGIN_MAX_FAILURES: Joi.number().integer().min(1).default(10).description('failed logins for one e-mail address, from any IP, after which it is throttled'),
  LOGIN_FAILURE_WINDOW_SECONDS: Joi.number().integer().min(1).default(900).description('window in which LOGIN_MAX_FAILURES are counted, and how long the throttle lasts'),
  VERIFICATION_RESEND_INTERVAL_SECONDS: Joi.number().integer().min(0).default(60).description('at most one verification mail per address in this many seconds'),
  VERIFICATION_RESEND_DAILY_LIMIT: Joi.number().integer().min(1).default(5).description('at most this many verification mails per address in 24 hours'),
  VERIFICATION_TOKEN_TTL_HOURS: Joi.number().integer().min(1).max(168).default(24).description('lifetime of an e-mail verification token'),
  JWT_PRIVATE_KEY: Joi.string().description('RS256 private key (PKCS#8 PEM); when unset a key pair is created at first start and kept in the database'),
  ADMIN_EMAIL: Joi.string().email({ tlds: false }).description('bootstrap admin account, created at start-up if missing'),
  ADMIN_PASSWORD: Joi.string().min(8).description('password of the bootstrap admin'),
}).and('ADMIN_EMAIL', 'ADMIN_PASSWORD');

export function loadCustomerConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CustomerConfig> {
  return loadConfig(customerConfigSchema, env);
}
