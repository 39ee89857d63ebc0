import type { ServerResponse } from 'node:http';
import express, { type Express, type Router } from 'express';
import type client from 'prom-client';
import helmet from 'helmet';
import { errorBody } from '../errors.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../timeout.js';
import { correlationId, correlationIdWithoutContext } from './correlation.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { createMetrics, type HttpMetrics } from './metrics.js';

/** A request whose JSON body was parsed, with the bytes it was parsed from. */
export type RawBodyRequest = express.Request & { rawBody?: Buffer };

/** A named readiness probe: resolves when the dependency answers, throws when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface AppOptions {
  name: string;
  logger: Logger;
  /** Mounts the service's routes. */
  routes: (router: Router) => void;
  bodyLimit?: string;
  /** False for a proxy, whose bodies must stream through untouched. */
  parseJson?: boolean;
  /** Express `trust proxy`: which proxies may name the client's address; none unless given. */
  trustProxy?: boolean | number | string;
  /** Where request metrics are recorded (the operations app exposes them); a registry of its own if not given. */
  metrics?: HttpMetrics;
  /**
   * Whether routes are served. While false (the process is starting or draining), every route
   * but `/health/live` answers 503 SERVICE_UNAVAILABLE.
   */
  serving?: () => boolean;
  /**
   * False for a process that runs no use case (the gateway): requests keep their correlation id
   * but run without a request context, and its log lines name the id themselves.
   */
  requestContext?: boolean;
}

/**
 * Helmet's headers, found once by running it on a stand-in response: with a fixed configuration
 * they are the same for every answer, so each request only copies them.
 */
function helmetHeaders(): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet()({} as express.Request, recorder as unknown as express.Response, (err?: unknown) => {
    if (err) throw err;
  });
  return [...headers];
}

/** The security headers every answer carries, as [name, value] pairs. */
const SECURITY_HEADERS = helmetHeaders();

/** The same headers as one flat list (name, value, name, value…), as `writeHead` takes them. */
export const SECURITY_HEADER_LIST: readonly string[] = SECURITY_HEADERS.flat();

/** Puts the security headers on an answer. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
}

const securityHeaders: express.RequestHandler = (_req, res, next) => {
  setSecurityHeaders(res);
  next();
};

/**
 * A router whose paths match with their case, as the gateway's route table does: `/auth/LOGIN`
 * is not the login route anywhere, so no limit or breaker of the gateway can be walked around by
 * a spelling the gateway routes one way and a service serves another.
 */
export function createRouter(): Router {
  return express.Router({ caseSensitive: true });
}

/**
 * The Express app every service starts from: security headers, correlation ids, request metrics,
 * JSON bodies with a size limit, the liveness probe, the service's routes, then the 404 and error
 * handlers. Metrics and readiness live on the operations app (`createOpsApp`), never here.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  const metrics = options.metrics ?? createMetrics(options.name);
  const serving = options.serving ?? (() => true);
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.set('query parser', 'simple');
  app.set('case sensitive routing', true);
  app.use(securityHeaders);
  app.use(options.requestContext === false ? correlationIdWithoutContext : correlationId);
  app.use(metrics.measure);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req, res, next) => {
    if (serving()) return next();
    res.status(503).set('Retry-After', '1').json(errorBody('SERVICE_UNAVAILABLE', `the ${options.name} service is not serving right now, try again later`));
  });
  if (options.parseJson !== false) {
    // The raw bytes stay beside the parsed body: a webhook's signature is over them, as they came.
    app.use(express.json({ limit: options.bodyLimit ?? '100kb', verify: (req, _res, raw) => ((req as RawBodyRequest).rawBody = raw) }));
  }
  const router = createRouter();
  options.routes(router);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}

export interface OpsAppOptions {
  metrics: HttpMetrics;
  /** Dependencies `/health/ready` checks (database, broker, ...). */
  readiness?: Record<string, ReadinessCheck>;
  /** Extra facts `/health/ready` shows beside the checks (the gateway's breaker states, say). */
  readinessDetails?: () => Record<string, unknown>;
  /** Ready only while true (not while starting or draining), whatever the checks say. */
  serving?: () => boolean;
  /** Adds process-specific metrics to the registry `/metrics` serves. */
  registerMetrics?: (registry: client.Registry) => void;
}

/**
 * The operations app, on a port of its own that only the orchestrator and Prometheus reach:
 * `/health/live`, `/health/ready` with every dependency's state, and `/metrics`.
 */
export function createOpsApp(options: OpsAppOptions): Express {
  const app = express();
  const serving = options.serving ?? (() => true);
  options.registerMetrics?.(options.metrics.registry);
  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await runChecks(options.readiness ?? {});
    const ready = serving() && Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', serving: serving(), checks, ...options.readinessDetails?.() });
  });
  app.get('/metrics', options.metrics.expose);
  app.use((_req, res) => {
    res.status(404).json(errorBody('NOT_FOUND', 'the operations port serves /health/live, /health/ready and /metrics'));
  });
  return app;
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), 2_000, `readiness check ${name}`);
        return [name, 'ok'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
