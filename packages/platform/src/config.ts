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
