import client from 'prom-client';
import { withTimeout } from '@shop/platform';

/** What happened to one consumed event. */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale' | 'retried' | 'parked';

/** The broker side of a process's metrics, on the registry its operations port serves. */
export interface MessagingMetrics {
  consumed: client.Counter<'queue' | 'outcome'>;
  /** Seconds from an event's `occurredAt` to the moment a consumer finished with it (applied, duplicate or stale). */
  lag: client.Histogram<'queue'>;
  /** Returned by the broker (no queue took it) and `kept` in the unroutable queue, or published with `no-subscriber` by design. */
  unroutable: client.Counter<'type' | 'outcome'>;
}

/** Registers the messaging metrics on a process's registry (a throwaway one when none is given). */
export function createMessagingMetrics(registry: client.Registry = new client.Registry()): MessagingMetrics {
  const existing = registry.getSingleMetric('messaging_events_consumed_total');
  if (existing) {
    return {
      consumed: existing as client.Counter<'queue' | 'outcome'>,
      lag: registry.getSingleMetric('messaging_event_lag_seconds') as client.Histogram<'queue'>,
      unroutable: registry.getSingleMetric('messaging_unroutable_events_total') as client.Counter<'type' | 'outcome'>,
    };
  }
  return {
    consumed: new client.Counter({
      name: 'messaging_events_consumed_total',
      help: 'Events taken from a queue, by queue and outcome (applied, duplicate, stale, retried, parked)',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    lag: new client.Histogram({
      name: 'messaging_event_lag_seconds',
      help: "Seconds from an event's occurredAt (its outbox row's commit) to its consumer finishing with it, by queue; retries included",
      labelNames: ['queue'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    }),
    unroutable: new client.Counter({
      name: 'messaging_unroutable_events_total',
      help: 'Published events no queue took: kept for replay in shop.events.unroutable, or without a subscriber by design',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

/** The outbox side of a service's metrics. */
export interface OutboxMetrics {
  /** Rows the relay published and marked sent. */
  published: client.Counter;
}

/** How long a scrape waits for the outbox query before leaving the gauge out of that scrape. */
const OUTBOX_QUERY_TIMEOUT_MS = 2_000;

/**
 * `outbox_events_published_total`, and `outbox_oldest_unsent_age_seconds`, read on each scrape
 * with `oldestUnsentAge` (one row through the relay's index). Every replica reports the same
 * database, the lease holder or not. While the database cannot be read the gauge is NaN (unknown),
 * and the scrape answers all the same.
 */
export function createOutboxMetrics(registry: client.Registry, oldestUnsentAge: () => Promise<number>): OutboxMetrics {
  new client.Gauge({
    name: 'outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest outbox row not yet published, 0 when none waits: how far the relay is behind',
    registers: [registry],
    async collect() {
      try {
        this.set(await withTimeout(oldestUnsentAge(), OUTBOX_QUERY_TIMEOUT_MS, 'outbox age query'));
      } catch {
        this.set(Number.NaN);
      }
    },
  });
  return {
    published: new client.Counter({
      name: 'outbox_events_published_total',
      help: 'Outbox rows the relay published with confirms and marked sent',
      registers: [registry],
    }),
  };
}
