import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** An answer as sent: its JSON body and the body's ETag, both computed once. */
export interface CachedAnswer {
  body: Buffer;
  /** A strong ETag: a hash of the body, the same on every replica for the same bytes. */
  etag: string;
  /** When the read it was made from started (the cache's clock): every change committed before is in it. */
  readAt: number;
}

export interface AnswerCacheOptions {
  /** 0 keeps nothing: every answer is read, still with its ETag. */
  maxEntries: number;
  maxBytes: number;
  /** How old a committed change may be and still be missing from an answer served. */
  maxStalenessMs: number;
  /** A monotonic clock in ms; the change listener must report confirmations on the same one. */
  now?: () => number;
}

export interface AnswerCacheStats {
  /** Answers served from memory. */
  hits: number;
  /** Lookups that found nothing servable. */
  misses: number;
  /** Reads started to make an answer (concurrent misses of one key share one). */
  loads: number;
  /** Times everything kept was dropped because a change was committed (here or by another replica). */
  invalidations: number;
  entries: number;
  bytes: number;
  /** The last time (the cache's clock) before which every committed change is known to have been heard. */
  confirmedAt: number;
}

export interface AnswerCache {
  /** A kept answer that may still be served, or undefined. */
  lookup(key: string): CachedAnswer | undefined;
  /**
   * Reads the answer with `load` (one read per key at a time) and keeps it, unless a change was
   * committed while it was read: that read may predate the change.
   */
  fill(key: string, load: () => Promise<unknown>): Promise<CachedAnswer>;
  /** A change was committed: every kept answer, and every read under way, is outdated. */
  invalidate(): void;
  /** Every change committed before `at` (the cache's clock) has reached `invalidate`. */
  confirmed(at: number): void;
  now(): number;
  stats(): AnswerCacheStats;
}

// What a kept entry costs beyond its body: the key, the ETag, the map's slot.
const ENTRY_OVERHEAD_BYTES = 200;

/** The answer for a value: serialized as Express's res.json would, with the ETag of those bytes. */
export function toAnswer(value: unknown, readAt: number): CachedAnswer {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, readAt };
}

/**
 * The shopper answers a replica has already given, kept in memory (least recently used dropped
 * first) and dropped all at once whenever a change is committed: a generation counter, so a read
 * that started before a commit cannot put its older answer back after the drop.
 *
 * Freshness: an answer may be served while every change committed more than `maxStalenessMs` ago
 * is known to be in it, i.e. while the answer's read started within that time, or the change
 * channel was confirmed within it (every commit before the confirmation has invalidated). When the
 * channel is down, answers thus live no longer than `maxStalenessMs`.
 */
export function createAnswerCache(options: AnswerCacheOptions): AnswerCache {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, CachedAnswer & { size: number }>();
  const loading = new Map<string, Promise<CachedAnswer>>();
  let generation = 0;
  let confirmedAt = Number.NEGATIVE_INFINITY;
  let bytes = 0;
  const counts = { hits: 0, misses: 0, loads: 0, invalidations: 0 };

  function drop(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.size;
  }

  function keep(key: string, answer: CachedAnswer) {
    if (options.maxEntries === 0) return;
    const size = answer.body.length + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (size > options.maxBytes) return;
    drop(key);
    entries.set(key, { ...answer, size });
    bytes += size;
    // A Map iterates in insertion order: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (entries.size <= options.maxEntries && bytes <= options.maxBytes) break;
      drop(oldest);
    }
  }

  return {
    lookup(key) {
      const entry = entries.get(key);
      if (entry) {
        const horizon = now() - options.maxStalenessMs;
        if (entry.readAt >= horizon || confirmedAt >= horizon) {
          // Moved to the end: the most recently used.
          entries.delete(key);
          entries.set(key, entry);
          counts.hits += 1;
          return entry;
        }
        drop(key);
      }
      counts.misses += 1;
      return undefined;
    },

    fill(key, load) {
      const pending = loading.get(key);
      if (pending) return pending;
      const readGeneration = generation;
      const readAt = now();
      counts.loads += 1;
      const read = load()
        .then((value) => {
          const answer = toAnswer(value, readAt);
          if (readGeneration === generation) keep(key, answer);
          return answer;
        })
        .finally(() => {
          if (loading.get(key) === read) loading.delete(key);
        });
      loading.set(key, read);
      return read;
    },

    invalidate() {
      generation += 1;
      entries.clear();
      // Reads under way still answer the requests that started them, but later requests wait for a new read.
      loading.clear();
      bytes = 0;
      counts.invalidations += 1;
    },

    confirmed(at) {
      confirmedAt = Math.max(confirmedAt, at);
    },

    now,

    stats: () => ({ ...counts, entries: entries.size, bytes, confirmedAt }),
  };
}
