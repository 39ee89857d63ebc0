import type { RequestHandler } from 'express';
import client from 'prom-client';
import { serviceClientBreakers, type BreakerState } from './client.js';

/** The value a breaker state gauge reports: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * A process's Prometheus registry with its HTTP request metric and the state of its service
 * clients' circuit breakers; exposed on the operations port.
 */
export interface HttpMetrics {
  registry: client.Registry;
  /** Records one answered request (a handler outside Express, say); `route` is a bounded label. */
  record(method: string, route: string, status: number, seconds: number): void;
  measure: RequestHandler;
  expose: RequestHandler;
}

/** A registry per process role, so several services can share one process in tests. */
export function createMetrics(service: string): HttpMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  // The event loop delay is sampled every 100 ms, not every 10: enough for a percentile, a tenth of the timer wakes.
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'service_client_circuit_breaker_state',
    help: 'State of the circuit breaker of each service this process calls: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { upstream, state } of serviceClientBreakers()) this.set({ upstream }, BREAKER_STATE_VALUE[state]);
    },
  });

  const measure: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The matched route pattern keeps label cardinality bounded; unmatched paths share one label.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  const expose: RequestHandler = async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  };

  const record = (method: string, route: string, status: number, seconds: number) => duration.observe({ method, route, status: String(status) }, seconds);

  return { registry, record, measure, expose };
}
