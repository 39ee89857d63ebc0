import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from '@shop/db';
import type { UseCaseContext } from '../app/deps.js';
import { storedEvents } from '../db/event.repository.js';
import { claimKey, findKey, saveAnswer } from '../db/idempotency.repository.js';
import type { SandboxDatabase } from '../db/schema.js';
import { errorBody, ProviderError } from '../errors.js';
import type { ApiDeps } from './deps.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 200;

/** An HTTP answer as it is sent and as it is stored for a key. */
export interface Answer {
  status: number;
  body: unknown;
}

/** Every POST names its Idempotency-Key: a client that retries must be able to say "the same one again". */
export const requireIdempotencyKey: RequestHandler = (req, _res, next) => {
  if (req.method !== 'POST') return next();
  const key = req.get(IDEMPOTENCY_HEADER);
  if (!key) throw new ProviderError('idempotency_key_required', 'every POST needs an Idempotency-Key header');
  if (key.length > MAX_KEY_LENGTH) throw new ProviderError('invalid_request', `the Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} characters`);
  next();
};

/** JSON with its object keys sorted, so the same request hashes the same however its keys were ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The request body's fingerprint. Keyed with a server-side secret: an authorization's body holds a
 * card number, and a plain hash of it could be matched against guessed numbers (few digits of a
 * card are really unknown once brand and last four are).
 */
function requestHash(secret: string, body: unknown): string {
  return createHmac('sha256', secret).update(canonicalJson(body ?? {})).digest('hex');
}

/** A refusal the use case threw becomes an answer to store; the provider failing (5xx) stays an error. */
async function answerOf(work: () => Promise<Answer>): Promise<Answer> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProviderError && err.status < 500) return { status: err.status, body: errorBody(err.code, err.message, err.extras) };
    throw err;
  }
}

/**
 * Runs a POST once per Idempotency-Key and route: the key, the work and its answer commit in one
 * transaction. The same key again gets the stored answer (same status, same body, header
 * `Idempotent-Replayed: true`) and nothing runs again; with another body, 409
 * idempotency_key_reused. A request arriving while the first is still running waits for it. A
 * 5xx answer is not stored: its transaction rolls back, so a retry with the key runs anew.
 */
export async function idempotently(deps: ApiDeps, req: Request, res: Response, work: (ctx: UseCaseContext) => Promise<Answer>): Promise<Answer> {
  const key = req.get(IDEMPOTENCY_HEADER)!;
  const route = `${req.method} ${req.baseUrl}${req.path}`;
  const hash = requestHash(deps.apiKey, req.body);
  let stored = false;
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const done = await runOnce(tx, deps.now(), route, key, hash, work);
    stored = storedEvents(tx);
    return done;
  });
  if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
  // Only a change that stored webhook events gives the delivery job work.
  else if (stored) deps.afterCommit();
  const { status, body } = outcome.answer;
  deps.logger.info('request answered', { route, status, code: (body as { error?: { code?: string } }).error?.code, replayed: outcome.replayed });
  return outcome.answer;
}

async function runOnce(tx: Kysely<SandboxDatabase>, now: Date, route: string, key: string, hash: string, work: (ctx: UseCaseContext) => Promise<Answer>) {
  for (;;) {
    if (await claimKey(tx, route, key, hash)) {
      const answer = await answerOf(() => work({ tx, now }));
      await saveAnswer(tx, route, key, answer.status, answer.body);
      return { answer, replayed: false };
    }
    const stored = await findKey(tx, route, key);
    // Pruned between the claim and the look-up: the key is free again.
    if (!stored) continue;
    if (stored.requestHash !== hash) {
      throw new ProviderError('idempotency_key_reused', 'this Idempotency-Key was used with another request body on this route; use a new key');
    }
    // The claim waited for the first request's transaction, which stores its answer before it commits.
    if (!stored.answer) throw new Error(`idempotency key ${route} has no stored answer`);
    return { answer: stored.answer, replayed: true };
  }
}
