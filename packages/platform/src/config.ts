import Joi from 'joi';

/**
 * Validates the environment against a joi schema once, at start-up, into a frozen typed object.
 * A missing or bad setting stops the process with a message naming every offending key.
 */
export function loadConfig<T extends object>(schema: Joi.ObjectSchema<T>, env: NodeJS.ProcessEnv = process.env): Readonly<T> {
  const { value, error } = schema.validate(env, { abortEarly: false, allowUnknown: true, stripUnknown: true, convert: true });
  if (error) {
    const problems = error.details.map((d) => `${d.path.join('.')}: ${d.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return Object.freeze(value);
}

/** Settings every service process shares; spread into a service's own schema. */
export const commonConfigKeys = {
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development').description('runtime mode'),
  LOG_LEVEL: Joi.string().valid('error', 'warn', 'info', 'http', 'debug').default('info').description('winston log level'),
  HOST: Joi.string().default('127.0.0.1').description('interface the HTTP server binds to'),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000).description('grace period for draining on SIGTERM'),
};

export const databaseUrl = () =>
  Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .description("the service's own PostgreSQL database; created at start-up if missing");

export const amqpUrl = () =>
  Joi.string().uri({ scheme: ['amqp', 'amqps'] }).default('amqp://guest:guest@127.0.0.1:5672').description('RabbitMQ connection URL (vhost in the path)');

/** The settings behind `commonConfigKeys`, plus the HTTP port every process has. */
export interface CommonConfig {
  NODE_ENV: string;
  LOG_LEVEL: string;
  HOST: string;
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

// Frozen: joi hands out this very array as the default, to every config it builds.
const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([1_000, 5_000, 25_000]);

/** `CONSUMER_RETRY_DELAYS_MS`: `'1000,5000,25000'` -> `[1000, 5000, 25000]`, the waits before each retry of a failed event. */
export const retryDelaysMs = () =>
  Joi.string()
    .trim()
    .pattern(/^\d+(\s*,\s*\d+)*$/, 'comma-separated milliseconds')
    .custom((value: string, helpers) => {
      const delays = value.split(',').map((part) => Number(part.trim()));
      if (delays.length > 10 || delays.some((ms) => ms < 1 || ms > 3_600_000)) return helpers.error('any.invalid');
      return delays;
    })
    .default(DEFAULT_RETRY_DELAYS_MS)
    .description('comma-separated waits before each retry of a failed event, after which it is parked; RabbitMQ keeps the delays a queue was first declared with');

/** `OUTBOX_POLL_INTERVAL_MS`: the relay publishes right after each commit; the poll is the fallback. */
export const outboxPollIntervalMs = () =>
  Joi.number().integer().min(10).default(1000).description('how often the outbox relay looks for unsent events');

/** `JWKS_URL`: where services fetch the keys that verify access tokens. */
export const jwksUrl = () =>
  Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:3001/auth/jwks').description("the customer service's public keys for verifying access tokens");
