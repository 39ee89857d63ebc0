import { connectBroker } from '@shop/messaging';
import { createLogger, createTokenVerifier, listen, type Logger } from '@shop/platform';
import { createGatewayApp } from './app';
import { authenticate } from './auth';
import type { GatewayConfig, UpstreamKey } from './config';
import { createUpstream, type Upstream } from './proxy';
import { createRateLimits } from './rate-limits';
import { createRevokedSessions, type RevokedSessions } from './revoked-sessions';
import { createRouteResolver, routeTable } from './routes';
import { createInvalidationLoader, subscribeToInvalidations } from './session-invalidations';

/** A started gateway: where it listens, and how to stop it. */
export interface RunningGateway {
  url: string;
  port: number;
  /** Who may no longer use tokens issued before a given instant (for tests and operators). */
  revokedSessions: RevokedSessions;
  stop(): Promise<void>;
}

/** How long start-up waits for the broker before going on and subscribing once it is back. */
const BROKER_WAIT_MS = 5_000;
/** Slack for clocks and token lifetimes that end mid-second. */
const CLOCK_LEEWAY_MS = 60_000;

/**
 * Starts the public entry point: subscribes to sessions invalidations, loads the recent ones,
 * then serves the route table with rate limits, token checks and a breaker per upstream.
 */
export async function startGateway(config: Readonly<GatewayConfig>, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<RunningGateway> {
  const retentionMs = config.ACCESS_TOKEN_TTL_SECONDS * 1_000 + CLOCK_LEEWAY_MS;
  const revokedSessions = createRevokedSessions({ retentionMs });
  const loader = createInvalidationLoader({
    customerServiceUrl: config.CUSTOMER_SERVICE_URL,
    revokedSessions,
    retentionMs,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    logger,
  });

  const broker = connectBroker({ url: config.AMQP_URL, name: 'gateway', logger });
  const subscription = subscribeToInvalidations(broker, revokedSessions, logger).catch((err: unknown) => {
    logger.error('could not subscribe to sessions invalidations', { error: String(err) });
    return undefined;
  });
  const consumer = await within(subscription, BROKER_WAIT_MS);
  if (!consumer) logger.warn('broker unreachable at start-up; sessions invalidations will be heard once it is back');
  // A broadcast queue is gone while the connection is: what was published meanwhile is reloaded.
  broker.connection.on('connect', () => loader.reload());
  await loader.start();

  const upstreams = createUpstreams(config, logger);
  const rateLimits = createRateLimits(config, logger);
  const app = createGatewayApp({
    logger,
    trustProxy: config.TRUST_PROXY,
    resolveRoute: createRouteResolver(routeTable),
    authenticate: authenticate({ verify: createTokenVerifier(new URL(config.JWKS_URL)), revokedSessions, logger }),
    rateLimits,
    upstreams,
    readiness: { broker: broker.ping },
    readinessDetails: () => ({
      sessionInvalidations: loader.state(),
      upstreams: Object.fromEntries([...new Set(upstreams.values())].map((u) => [u.name, { breaker: u.breakerState() }])),
    }),
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info('gateway listening', { url: server.url });

  return {
    url: server.url,
    port: server.port,
    revokedSessions,
    async stop() {
      await server.close();
      loader.stop();
      rateLimits.close();
      for (const upstream of new Set(upstreams.values())) upstream.close();
      await (consumer ?? (await within(subscription, 0)))?.close();
      await broker.close();
    },
  };
}

function createUpstreams(config: Readonly<GatewayConfig>, logger: Logger): Map<UpstreamKey, Upstream> {
  const keys = [...new Set(routeTable.map((route) => route.upstream))];
  return new Map(
    keys.map((key) => [
      key,
      createUpstream({
        name: key.replace(/_SERVICE_URL$/, '').toLowerCase(),
        target: config[key],
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
        volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: config.BREAKER_RESET_MS,
        logger,
      }),
    ]),
  );
}

/** The promise's value if it settles within `ms`, else undefined (it keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
