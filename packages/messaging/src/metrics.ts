import client from 'prom-client';

/** What happened to one consumed event. */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale' | 'retried' | 'parked';

/** The broker side of a process's metrics, on the registry its operations port serves. */
export interface MessagingMetrics {
  consumed: client.Counter<'queue' | 'outcome'>;
  /** Returned by the broker: no queue took it. `kept` in the unroutable queue, or `no-subscriber` by design. */
  unroutable: client.Counter<'type' | 'outcome'>;
}

/** Registers the messaging metrics on a process's registry (a throwaway one when none is given). */
export function createMessagingMetrics(registry: client.Registry = new client.Registry()): MessagingMetrics {
  const existing = registry.getSingleMetric('messaging_events_consumed_total');
  if (existing) {
    return {
      consumed: existing as client.Counter<'queue' | 'outcome'>,
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
    unroutable: new client.Counter({
      name: 'messaging_unroutable_events_total',
      help: 'Published events no queue took: kept for replay in shop.events.unroutable, or without a subscriber by design',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
