import { notificationFailed, notificationSent } from '@shop/contracts';
import type { Kysely, Outbox, RunInTransaction } from '@shop/db';
import { backoffDelay, isTransientError, runInContext, sleep, withTimeout, type Logger } from '@shop/platform';
import { claimDueMails, markFailed, markRetry, markSent, releaseClaim, renewClaims, type ClaimedMail } from '../db/notification.repository.js';
import type { NotificationDatabase } from '../db/schema.js';
import type { MailContent } from '../domain/mail-content.js';
import { isServerUnreachable, retryAt } from '../domain/mail-retry.js';
import type { MailFacts, MailRenderer } from '../domain/mail-templates.js';
import type { Mailer } from '../adapters/mailer.js';
import type { SmtpGate } from './smtp-gate.js';

export interface MailDispatchDeps {
  db: Kysely<NotificationDatabase>;
  transaction: RunInTransaction<NotificationDatabase>;
  outbox: Outbox;
  mailer: Mailer;
  renderer: MailRenderer;
  logger: Logger;
  /** Backoff before each retry of a send that failed for a transient reason (SMTP down, 4xx); then failed. */
  retryDelaysMs: readonly number[];
  /** Closed while the SMTP server is unreachable: nothing is claimed meanwhile. */
  gate: SmtpGate;
  /**
   * A claim not renewed for this long was abandoned (its dispatcher died): claimed again. The
   * dispatcher renews its claims every third of it while it holds them (sending, or waiting for
   * the database to record a sent mail), so a slow send keeps its claim however long it takes.
   */
  leaseMs: number;
  /** How many mails are sent at the same time; 1 unless given. */
  concurrency?: number;
  /** Set when the worker stops: a sent mail whose record keeps failing is left to the lease. */
  stopping: AbortSignal;
  now: () => Date;
}

const SEND_TIMEOUT_MS = 60_000;

/**
 * Sends every mail that is due, a claimed batch at a time, until none is left or the SMTP server
 * cannot be reached. Claim, write, send, then record, each on its own: no transaction is open while
 * the SMTP server is asked, so PostgreSQL dropping a connection meanwhile cannot undo a record and
 * send the mail twice. Resolves with how many mails were handled.
 */
export async function dispatchDueMails(deps: MailDispatchDeps, batchSize = 10): Promise<number> {
  const concurrency = deps.concurrency ?? 1;
  // Several mails per lane, so the lanes stay busy while a batch's slowest mail finishes.
  const claimSize = Math.max(batchSize, concurrency * 4);
  let total = 0;
  const inHand = new Set<string>();
  const renewal = setInterval(() => {
    // A renewal that fails (the database away) is tried again at the next tick; the lease spans three.
    if (inHand.size > 0) renewClaims(deps.db, [...inHand]).catch(() => undefined);
  }, deps.leaseMs / 3);
  try {
    for (;;) {
      if (deps.stopping.aborted || !deps.gate.open) return total;
      const claimed = await claimDueMails(deps.db, claimSize, deps.leaseMs);
      for (const mail of claimed) inHand.add(mail.id);
      await eachAtMost(concurrency, claimed, async (mail) => {
        try {
          // Stopping, or the server gone: what is not sent yet goes back, due at once, its try not spent.
          if (deps.stopping.aborted || !deps.gate.open) await releaseClaim(deps.db, mail.id);
          else await runInContext({ correlationId: mail.correlationId, causationId: mail.eventId }, () => sendOne(deps, mail));
        } finally {
          inHand.delete(mail.id);
        }
      });
      total += claimed.length;
      if (claimed.length < claimSize) return total;
    }
  } finally {
    clearInterval(renewal);
  }
}

/** Runs `work` for every item, at most `limit` at a time; the first failure is thrown once all have ended. */
async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
}

async function sendOne(deps: MailDispatchDeps, mail: ClaimedMail): Promise<void> {
  let messageId: string;
  try {
    const content = write(deps.renderer, mail);
    ({ messageId } = await withTimeout(deps.mailer.send({ to: mail.recipient, id: mail.id, ...content }), SEND_TIMEOUT_MS, 'SMTP send'));
  } catch (err) {
    if (isServerUnreachable(err)) deps.gate.unreachable(err);
    await recordFailure(deps, mail, err);
    return;
  }
  await recordSent(deps, mail, messageId);
}

/** The mail as it goes out, written now from its facts (a mail queued before that keeps its bodies). */
function write(renderer: MailRenderer, mail: ClaimedMail): MailContent {
  if (mail.bodies) return { subject: mail.subject, ...mail.bodies };
  return renderer.render(mail.template, mail.facts as MailFacts[typeof mail.template]);
}

/**
 * The mail is out: its record must follow. A database that is down right now is waited for (with
 * backoff) rather than letting a later claim send the mail again.
 */
async function recordSent(deps: MailDispatchDeps, mail: ClaimedMail, messageId: string): Promise<void> {
  const sentAt = deps.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      await deps.transaction(async (tx) => {
        if (!(await markSent(tx, mail.id, messageId, sentAt))) return;
        await deps.outbox.add(
          tx,
          notificationSent,
          { notificationId: mail.id, eventId: mail.eventId, template: mail.template, to: mail.recipient, attempts: mail.attempts, sentAt: sentAt.toISOString() },
          { type: 'notification', id: mail.id, version: mail.attempts },
        );
      });
      deps.logger.info('mail sent', { notificationId: mail.id, eventId: mail.eventId, template: mail.template, attempts: mail.attempts });
      return;
    } catch (err) {
      if (!isTransientError(err) || deps.stopping.aborted) {
        deps.logger.error('mail sent but not recorded; it may be sent again once its claim expires', { notificationId: mail.id, error: String(err) });
        return;
      }
      if (attempt === 0) deps.logger.warn('mail sent, recording it waits for the database', { notificationId: mail.id, error: String(err) });
      await sleep(backoffDelay(attempt, 250, 5_000));
    }
  }
}

async function recordFailure(deps: MailDispatchDeps, mail: ClaimedMail, err: unknown): Promise<void> {
  const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
  const now = deps.now();
  const next = isTransientError(err) ? retryAt(mail, deps.retryDelaysMs, now) : undefined;
  const meta = { notificationId: mail.id, eventId: mail.eventId, template: mail.template, attempts: mail.attempts, error };
  if (next) {
    await markRetry(deps.db, mail.id, error, next);
    deps.logger.warn('mail not sent, will retry', { ...meta, retryAt: next.toISOString() });
    return;
  }
  await deps.transaction(async (tx) => {
    if (!(await markFailed(tx, mail.id, error, now))) return;
    await deps.outbox.add(
      tx,
      notificationFailed,
      { notificationId: mail.id, eventId: mail.eventId, template: mail.template, to: mail.recipient, attempts: mail.attempts, error, failedAt: now.toISOString() },
      { type: 'notification', id: mail.id, version: mail.attempts },
    );
  });
  deps.logger.error('mail failed for good; kept for manual review', meta);
}
