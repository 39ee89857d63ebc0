import type { IncomingMessage } from 'node:http';
import proxyAddress from 'proxy-addr';
import { createApp, createOpsApp, type AppOptions, type OpsAppOptions } from './app.js';
import { createMetrics, type HttpMetrics } from './metrics.js';
import { handlersOf } from './route.js';
import { answerFromMemory } from './answer-front.js';
import { knownSpellingsOf } from './cached-route.js';
import { listen, type FrontHandler } from './server.js';
import { sleep } from '../timeout.js';

export interface HttpServiceOptions extends Omit<AppOptions, 'metrics' | 'serving'>, Omit<OpsAppOptions, 'metrics' | 'serving'> {
  host: string;
  /** The public (or service-to-service) port. */
  port: number;
  /** The operations port: probes and metrics. */
  opsPort: number;
  /**
   * A handler that sees every request of the public port before the app, for a hot path that
   * must not pay for Express's layers (the gateway's proxied routes); it hands the rest to the app.
   */
  front?: (http: FrontContext) => FrontHandler;
}

/** What a front handler shares with the app behind it. */
export interface FrontContext {
  metrics: HttpMetrics;
  serving: () => boolean;
  /** The client's address as the app sees it (`req.ip`): the socket's, or the one the trusted proxies name. */
  clientAddress: (req: IncomingMessage) => string;
}

/** Starting: routes answer 503 until `open()`. Serving. Draining: 503 again, connections closing. */
export type HttpState = 'starting' | 'serving' | 'draining';

export interface RunningHttp {
  url: string;
  port: number;
  opsUrl: string;
  opsPort: number;
  metrics: HttpMetrics;
  state(): HttpState;
  /** Routes are served from now on; readiness follows its checks. */
  open(): void;
  /** Readiness 503 at once; in-flight requests finish, keep-alive connections are closed. */
  drain(graceMs: number): Promise<void>;
  /** Closes the operations port: the last thing a process does before it exits. */
  closeOps(): Promise<void>;
}

/**
 * A process's two HTTP servers: the app on `port` and the operations app on `opsPort`. Both listen
 * at once, so probes answer while the process is still waiting for its database; routes answer
 * 503 SERVICE_UNAVAILABLE until `open()`.
 */
export async function startHttp(options: HttpServiceOptions): Promise<RunningHttp> {
  let state: HttpState = 'starting';
  const serving = () => state === 'serving';
  const metrics = createMetrics(options.name);
  const app = createApp({ ...options, metrics, serving });
  const ops = createOpsApp({ ...options, metrics, serving });
  const trusted = app.get('trust proxy fn') as Parameters<typeof proxyAddress>[1];
  const clientAddress = (req: IncomingMessage) => proxyAddress(req, trusted);
  // A process with a front of its own (the gateway) serves nearly every request there; the others
  // answer remembered public GETs from memory in front of their app, and the rest through it.
  const front = options.front?.({ metrics, serving, clientAddress }) ?? answerFromMemory(knownSpellingsOf(app.locals), metrics, serving);
  const server = await listen(app, options.port, options.host, front, options.front ? 'node' : 'express');
  const opsServer = await listen(ops, options.opsPort, options.host).catch(async (err: unknown) => {
    await server.close(0);
    throw err;
  });
  return {
    url: server.url,
    port: server.port,
    opsUrl: opsServer.url,
    opsPort: opsServer.port,
    metrics,
    state: () => state,
    open() {
      if (state === 'starting') state = 'serving';
    },
    async drain(graceMs) {
      state = 'draining';
      const deadline = Date.now() + graceMs;
      await server.close(graceMs);
      // A request whose client went away has no connection left, but its use case may still run.
      const running = handlersOf(app.locals);
      while (running.count > 0 && Date.now() < deadline) await sleep(20);
    },
    closeOps: () => opsServer.close(0),
  };
}
