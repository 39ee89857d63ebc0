import type { Kysely } from '@shop/db';
import { backoffDelay, runInContext, signWebhook, startPeriodicJob, type Logger, type Stoppable } from '@shop/platform';
import { claimNextDueEvent, markAttemptFailed, markDelivered, type StoredEvent } from './db/event.repository.js';
import type { SandboxDatabase } from './db/schema.js';
import { createWebhookPoster } from './webhook-post.js';

/** A webhook's body as the receiver gets it. */
export function webhookPayload(event: StoredEvent) {
  return { id: event.id, type: event.type, created: Math.floor(event.createdAt.getTime() / 1000), data: event.data };
}

export interface WebhookDeliveryOptions {
  db: Kysely<SandboxDatabase>;
  logger: Logger;
  /** Where events are POSTed; undefined: they are stored and not sent. */
  url: string | undefined;
  secret: string;
  retryFirstMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
}

/** The background job that sends stored events; `wake()` after a commit sends new ones at once. */
export interface WebhookDelivery extends Stoppable {
  wake(): void;
}

// Thrown to roll back the claim of an event whose attempt a stop cut short: the event stays as it
// was, for this process's next start or another replica.
class DeliveryStopped extends Error {}

/**
 * Delivers every stored event to the webhook URL at least once: an answer other than 2xx, a
 * network error or a timeout is retried with capped exponential backoff until a 2xx comes. Events
 * of one authorization go out in the order they were stored. Each event is claimed with a row
 * lock held while it is sent, so replicas never send one event at the same time, and one that
 * dies mid-send leaves it to the next. Every attempt is signed anew, with the time it is sent.
 */
export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { db, logger, url } = options;
  if (!url) {
    logger.info('WEBHOOK_URL is not set: events are stored but not sent');
    return { wake: () => undefined, stop: async () => undefined };
  }
  const stopping = new AbortController();
  const retryTimers = new Set<NodeJS.Timeout>();
  const poster = createWebhookPoster(url);

  async function deliverDue(): Promise<void> {
    while (!stopping.signal.aborted && (await deliverNext())) {
      // one event per transaction, as long as another was due when it was claimed (an event stored
      // after that wakes the job itself)
    }
  }

  /** Sends the next due event; true when another was due too. */
  async function deliverNext(): Promise<boolean> {
    try {
      return await db.transaction().execute(async (tx) => {
        const claimed = await claimNextDueEvent(tx);
        if (!claimed) return false;
        const { event } = claimed;
        await runInContext({ correlationId: event.correlationId ?? event.id, causationId: event.id }, async () => {
          const failure = await send(event);
          if (failure === undefined) {
            await markDelivered(tx, event.id, new Date());
            logger.info('webhook delivered', { eventId: event.id, type: event.type, attempts: event.attempts + 1 });
            return;
          }
          if (stopping.signal.aborted) throw new DeliveryStopped();
          const retryInMs = backoffDelay(event.attempts, options.retryFirstMs, options.retryMaxMs);
          await markAttemptFailed(tx, event.id, failure, new Date(Date.now() + retryInMs));
          wakeAfter(retryInMs);
          logger.warn('webhook not delivered, will retry', { eventId: event.id, type: event.type, attempts: event.attempts + 1, error: failure, retryInMs });
        });
        return claimed.more;
      });
    } catch (err) {
      if (err instanceof DeliveryStopped) return false;
      throw err;
    }
  }

  /** One attempt: undefined when the receiver answered 2xx, else what went wrong. */
  async function send(event: StoredEvent): Promise<string | undefined> {
    const body = JSON.stringify(webhookPayload(event));
    try {
      const status = await poster.post(body, { 'content-type': 'application/json', 'x-signature': signWebhook(options.secret, body) }, { timeoutMs: options.timeoutMs, signal: stopping.signal });
      // A redirect is not an acknowledgement: the event goes again to the configured URL.
      return status >= 200 && status < 300 ? undefined : `answered ${status}`;
    } catch (err) {
      const { code, name, message } = err as { code?: string; name?: string; message?: string };
      return code ?? (name && message ? `${name}: ${message}` : String(err));
    }
  }

  const job = startPeriodicJob({ name: 'deliver webhooks', intervalMs: options.pollIntervalMs, logger, runAtStart: true, run: deliverDue });

  /** A retry comes due between two polls: the job looks again then, not at the next poll. */
  function wakeAfter(ms: number): void {
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      job.wake();
    }, ms);
    timer.unref();
    retryTimers.add(timer);
  }

  logger.info('webhooks are delivered', { url: new URL(url).origin });
  return {
    wake: () => job.wake(),
    async stop() {
      stopping.abort();
      for (const timer of retryTimers) clearTimeout(timer);
      await job.stop();
      poster.close();
    },
  };
}
