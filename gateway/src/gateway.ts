import { connectBroker, createMessagingMetrics } from '@shop/messaging';
import { createLogger, createTokenVerifier, settledWithin, startHttp, type Logger, type ReadinessCheck } from '@shop/platform';
import { loadApiDocuments } from './api-documents.js';
import { mountGatewayPages, registerBreakerGauge } from './app.js';
import { createAuthorizer } from './auth.js';
import type { GatewayConfig } from './config.js';
import { createFrontDoor, upstreamKeyOf } from './front-door.js';
import { createUpstream, type Upstream } from './proxy.js';
import { createRateLimits } from './rate-limits.js';
import { createRevokedSessions, type RevokedSessions } from './revoked-sessions.js';
import { createRouteResolver, DEFAULT_GROUP, routeTable } from './routes.js';
import { createInvalidationLoader, subscribeToInvalidations } from './session-invalidations.js';

/** A started gateway: where it listens, and how to stop it. */
export interface RunningGateway {
  url: string;
  port: number;
  /** Probes and metrics. */
  opsUrl: string;
  /** Who may no longer use tokens issued before a given instant (for tests and operators). */
  revokedSessions: RevokedSessions;
  /** Drains: readiness 503 at once, in-flight requests finish, keep-alive connections close. */
  stop(): Promise<void>;
}

/** How long start-up waits for the broker before going on and subscribing once it is back. */
const BROKER_WAIT_MS = 5_000;
/** Slack for clocks and token lifetimes that end mid-second. */
const CLOCK_LEEWAY_MS = 60_000;

/**
 * Starts the public entry point: subscribes to sessions invalidations and loads the recent ones,
 * then serves the route table with rate limits, token checks and a breaker per upstream and
 * route group. Probes and metrics answer on the operations port only.
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
  const upstreams = createUpstreams(config, logger, revokedSessions);
  const rateLimits = createRateLimits(config);
  const verify = createTokenVerifier(new URL(config.JWKS_URL));
  const documents = await loadApiDocuments();
  // Filled once the broker exists; the operations app reads it on every probe.
  const readiness: Record<string, ReadinessCheck> = {};
  const http = await startHttp({
    name: 'gateway',
    logger,
    host: config.HOST,
    port: config.PORT,
    opsPort: config.OPS_PORT,
    parseJson: false,
    requestContext: false,
    trustProxy: config.TRUST_PROXY,
    front: createFrontDoor({
      resolveRoute: createRouteResolver(routeTable),
      authorize: createAuthorizer({ verify, revokedSessions, logger }),
      rateLimits,
      upstreams,
      logger,
    }),
    routes: (router) => mountGatewayPages(router, { rateLimits, documents, webDir: config.WEB_DIR || undefined }),
    readiness,
    readinessDetails: () => ({
      sessionInvalidations: loader.state(),
      upstreams: Object.fromEntries([...upstreams.values()].map((u) => [u.name, { breaker: u.breakerState() }])),
    }),
    registerMetrics: (registry) => registerBreakerGauge(registry, upstreams),
  });
  const broker = connectBroker({ url: config.AMQP_URL, name: 'gateway', logger, metrics: createMessagingMetrics(http.metrics.registry) });
  readiness.broker = broker.ping;
  const subscription = subscribeToInvalidations(broker, revokedSessions, logger);
  // Loaded before the queue is bound, what is published in between would be missed until a reconnect.
  if (!(await settledWithin(subscription.consuming().then(() => true), BROKER_WAIT_MS))) {
    logger.warn('broker unreachable at start-up; sessions invalidations will be heard once it is back');
  }
  // A broadcast queue is gone while the connection is: what was published meanwhile is reloaded.
  broker.connection.on('connect', () => loader.reload());
  await loader.start();
  http.open();
  logger.info('gateway listening', { url: http.url, opsUrl: http.opsUrl });

  return {
    url: http.url,
    port: http.port,
    opsUrl: http.opsUrl,
    revokedSessions,
    async stop() {
      await http.drain(Math.max(100, config.SHUTDOWN_TIMEOUT_MS / 2));
      loader.stop();
      rateLimits.close();
      for (const upstream of upstreams.values()) upstream.close();
      await settledWithin(subscription.stop(), 2_000);
      await broker.close();
      await http.closeOps();
    },
  };
}

/** One proxy and breaker per upstream service and route group. */
function createUpstreams(config: Readonly<GatewayConfig>, logger: Logger, revokedSessions: RevokedSessions): Map<string, Upstream> {
  const upstreams = new Map<string, Upstream>();
  for (const route of routeTable) {
    const key = upstreamKeyOf(route);
    if (upstreams.has(key)) continue;
    const service = route.upstream.replace(/_SERVICE_URL$/, '').toLowerCase();
    const group = route.group ?? DEFAULT_GROUP;
    upstreams.set(
      key,
      createUpstream({
        name: group === DEFAULT_GROUP ? service : `${service}:${group}`,
        target: config[route.upstream],
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
        volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: config.BREAKER_RESET_MS,
        logger,
        // The replica that answered the logout refuses the token from its next request on; the
        // others hear customer.sessions-invalidated.
        sessionEnded: (principal, scope) =>
          scope === 'account' ? revokedSessions.record(principal.customerId, new Date()) : revokedSessions.recordSessions([principal.sessionId], new Date()),
      }),
    );
  }
  return upstreams;
}
