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
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000).description('grace period for draining on SIGTERM; the process exits 1 if it has not stopped by then'),
};

/** `OPS_PORT`: the operations port of a process (probes and metrics), never published to clients. */
export const opsPort = (defaultPort: number) =>
  Joi.number()
    .port()
    .default((parent: { PORT?: number }) => (parent.PORT === 0 ? 0 : defaultPort))
    .description(`operations port: /health/live, /health/ready and /metrics, never to be published (default ${defaultPort}; a random one when PORT is 0)`);

export const databaseUrl = () =>
  Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .description("the service's own PostgreSQL database; created at start-up if missing");

export const amqpUrl = () =>
  Joi.string().uri({ scheme: ['amqp', 'amqps'] }).default('amqp://guest:guest@127.0.0.1:5672').description('RabbitMQ connection URL (vhost in the path)');

/**
 * The settings of a service's answer cache (`createAnswerCache`); `kept` says what it keeps. The
 * staleness bound is at most a second, the shop's freshness promise.
 */
export const answerCacheConfigKeys = (kept: string) => ({
  CACHE_MAX_ENTRIES: Joi.number()
    .integer()
    .min(0)
    .default(10_000)
    .description(`${kept} kept in memory, least recently used dropped first; 0 turns the cache off`),
  CACHE_MAX_MB: Joi.number().min(1).default(64).description('memory the kept answers may take, in MB (their bodies)'),
  CACHE_MAX_STALENESS_MS: Joi.number()
    .integer()
    .min(100)
    .max(1000)
    .default(900)
    .description(
      "a kept answer is served only while every change committed more than this long ago is known to be in it (the database's change notifications confirmed within this time, or the answer read within it); at most 1000, the shop's freshness promise",
    ),
});

/** The settings behind `answerCacheConfigKeys`. */
export interface AnswerCacheConfig {
  CACHE_MAX_ENTRIES: number;
  CACHE_MAX_MB: number;
  CACHE_MAX_STALENESS_MS: number;
}

/** The settings behind `commonConfigKeys`, plus the HTTP port every process has. */
export interface CommonConfig {
  NODE_ENV: string;
  LOG_LEVEL: string;
  HOST: string;
  PORT: number;
  OPS_PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

// Frozen: joi hands out this very array as the default, to every config it builds.
const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([1_000, 5_000, 25_000, 60_000]);

/**
 * `CONSUMER_RETRY_DELAYS_MS`: `'1000,5000,25000,60000'` -> `[1000, 5000, 25000, 60000]`, the
 * backoff before each retry of an event that failed for a transient reason; the last wait repeats
 * until CONSUMER_RETRY_WINDOW_MS has passed. Each delay has a retry queue of its own, so the ladder
 * can be changed at any time.
 */
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
    .description('backoff before each retry of an event that failed for a transient reason (comma-separated ms); the last one repeats until the retry window ends');

/** What every event consumer of a process reads: the retry ladder, how long to keep retrying, the handler timeout. */
export const consumerConfigKeys = () => ({
  CONSUMER_RETRY_DELAYS_MS: retryDelaysMs(),
  CONSUMER_RETRY_WINDOW_MS: Joi.number()
    .integer()
    .min(0)
    .default(600_000)
    .description('how long an event that keeps failing for a transient reason (database, broker or SMTP down) is retried before it is parked'),
  CONSUMER_HANDLER_TIMEOUT_MS: Joi.number()
    .integer()
    .min(100)
    .default(30_000)
    .description('an event handler still running after this long counts as a transient failure, so one hung handler cannot stall its queue'),
});

/** The settings behind `consumerConfigKeys`. */
export interface ConsumerConfig {
  CONSUMER_RETRY_DELAYS_MS: readonly number[];
  CONSUMER_RETRY_WINDOW_MS: number;
  CONSUMER_HANDLER_TIMEOUT_MS: number;
}

/** A service's own database: where it is, how many connections, how long one statement may run. */
export const databaseConfigKeys = (defaultUrl: string, poolDescription = 'connections to PostgreSQL') => ({
  DATABASE_URL: databaseUrl().default(defaultUrl),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10).description(poolDescription),
  DATABASE_STATEMENT_TIMEOUT_MS: Joi.number()
    .integer()
    .min(0)
    .default(15_000)
    .description('PostgreSQL cancels a statement that runs longer (0: never); migrations are exempt'),
});

/** The settings behind `databaseConfigKeys`. */
export interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
}

/** `OUTBOX_POLL_INTERVAL_MS`: the relay publishes right after each commit; the poll is the fallback. */
export const outboxPollIntervalMs = () =>
  Joi.number().integer().min(10).default(1000).description('how often the outbox relay looks for unsent events');

/** `JWKS_URL`: where services fetch the keys that verify access tokens. */
export const jwksUrl = () =>
  Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:3001/auth/jwks').description("the customer service's public keys for verifying access tokens");

/**
 * What every service with a database and the broker reads: its database, RabbitMQ, and how often
 * the outbox relay looks for unsent events. Spread into a service's schema.
 */
export const backboneConfigKeys = (defaultDatabaseUrl: string, poolDescription?: string) => ({
  ...databaseConfigKeys(defaultDatabaseUrl, poolDescription),
  AMQP_URL: amqpUrl(),
  OUTBOX_POLL_INTERVAL_MS: outboxPollIntervalMs(),
});

/** The settings behind `backboneConfigKeys`. */
export interface BackboneConfig extends DatabaseConfig {
  AMQP_URL: string;
  OUTBOX_POLL_INTERVAL_MS: number;
}

/**
 * A shared secret (a webhook's signing key): the well-known development value serves a local
 * shop, but with NODE_ENV=production it must be set, at least 16 characters, and not that value.
 */
export const sharedSecret = (developmentValue: string, description: string) =>
  Joi.string()
    .min(16)
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required().invalid(developmentValue).messages({ 'any.invalid': 'must be set to a secret of its own in production' }),
      otherwise: Joi.optional().default(developmentValue),
    })
    .description(`${description} (development default ${developmentValue}; required in production)`);

/** The key that seals secrets on their way to a mail (a verification link): the customer service seals, the notification worker opens. */
export const mailSealKey = () => sharedSecret(DEV_MAIL_SEAL_KEY, 'the key secrets bound for a mail (verification links) are sealed with in events; the same in the customer service and the notification worker');
export const DEV_MAIL_SEAL_KEY = 'dev-mail-seal-key';

/** `<NAME>_SERVICE_URL`: where another service of the shop answers (localhost and its port by default). */
export const serviceUrl = (name: string, port: number, purpose?: string) =>
  Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default(`http://127.0.0.1:${port}`)
    .description(`base URL of the ${name} service${purpose ? `, ${purpose}` : ''}`);
