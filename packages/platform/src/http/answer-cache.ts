import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AnswerCacheConfig } from '../config.js';

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
  /** Times the answers of one tag were dropped because a change to what they show was committed. */
  tagInvalidations: number;
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
   * committed while it was read: that read may predate the change. `tags` names what the answer
   * shows (a cart's id, say), so `invalidate(tag)` can drop it alone; its key is always one of them.
   */
  fill(key: string, load: () => Promise<unknown>, tags?: (value: unknown) => readonly string[]): Promise<CachedAnswer>;
  /**
   * A change was committed. Without a tag, every kept answer and every read under way is outdated;
   * with one, only the answers tagged with it (kept, or being read now).
   */
  invalidate(tag?: string): void;
  /** Every change committed before `at` (the cache's clock) has reached `invalidate`. */
  confirmed(at: number): void;
  now(): number;
  stats(): AnswerCacheStats;
}

// What a kept entry costs beyond its body: the key, the ETag, the map's slot.
const ENTRY_OVERHEAD_BYTES = 200;
// Tags dropped while reads were under way, remembered until no read is; past this many, every read under way counts as outdated.
const MAX_RECENT_TAGS = 10_000;

/** The options `answerCacheConfigKeys` settings stand for. */
export function answerCacheOptions(config: Readonly<AnswerCacheConfig>): AnswerCacheOptions {
  return { maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_MB * 1024 * 1024, maxStalenessMs: config.CACHE_MAX_STALENESS_MS };
}

/** The answer for a value: serialized as Express's res.json would, with the ETag of those bytes. */
export function toAnswer(value: unknown, readAt: number): CachedAnswer {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, readAt };
}

/** The load's promise; a load that throws at once is a rejected read like any other. */
function started(load: () => Promise<unknown>): Promise<unknown> {
  try {
    return load();
  } catch (err) {
    return Promise.reject(err);
  }
}

type Entry = CachedAnswer & { size: number; tags: readonly string[] };

/**
 * The answers a replica has already given, kept in memory (least recently used dropped first) and
 * dropped when a change is committed: all at once, or those of one tag. Every invalidation takes
 * the next number of a sequence, so a read that started before a commit cannot put its older answer
 * back after the drop: the answer is kept only if no invalidation of everything, nor of one of its
 * tags, came after the read started.
 *
 * Freshness: an answer may be served while every change committed more than `maxStalenessMs` ago
 * is known to be in it, i.e. while the answer's read started within that time, or the change
 * channel was confirmed within it (every commit before the confirmation has invalidated). When the
 * channel is down, answers thus live no longer than `maxStalenessMs`.
 */
export function createAnswerCache(options: AnswerCacheOptions): AnswerCache {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  // The keys kept under each tag, to drop one tag's answers.
  const tagged = new Map<string, Set<string>>();
  const loading = new Map<string, Promise<CachedAnswer>>();
  let sequence = 0;
  // Reads that started before this number are outdated whatever they show.
  let outdatedBefore = 0;
  // The number of each tag's last invalidation, while reads that may predate it are under way.
  const recentTags = new Map<string, number>();
  let reading = 0;
  let confirmedAt = Number.NEGATIVE_INFINITY;
  let bytes = 0;
  const counts = { hits: 0, misses: 0, loads: 0, invalidations: 0, tagInvalidations: 0 };

  function drop(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.size;
    for (const tag of entry.tags) {
      const keys = tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) tagged.delete(tag);
    }
  }

  function keep(key: string, answer: CachedAnswer, tags: readonly string[]) {
    if (options.maxEntries === 0) return;
    const size = answer.body.length + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (size > options.maxBytes) return;
    drop(key);
    entries.set(key, { ...answer, size, tags });
    bytes += size;
    for (const tag of tags) {
      let keys = tagged.get(tag);
      if (!keys) tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
    // A Map iterates in insertion order: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (entries.size <= options.maxEntries && bytes <= options.maxBytes) break;
      drop(oldest);
    }
  }

  function outdated(startedAt: number, tags: readonly string[]): boolean {
    return startedAt < outdatedBefore || tags.some((tag) => (recentTags.get(tag) ?? -1) > startedAt);
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

    fill(key, load, tagsOf) {
      const pending = loading.get(key);
      if (pending) return pending;
      const startedAt = sequence;
      const readAt = now();
      counts.loads += 1;
      reading += 1;
      const read = started(load)
        .then((value) => {
          const answer = toAnswer(value, readAt);
          const tags = tagsOf ? [key, ...tagsOf(value)] : [key];
          if (!outdated(startedAt, tags)) keep(key, answer, tags);
          return answer;
        })
        .finally(() => {
          if (loading.get(key) === read) loading.delete(key);
          reading -= 1;
          // No read under way can predate what was dropped.
          if (reading === 0) recentTags.clear();
        });
      loading.set(key, read);
      return read;
    },

    invalidate(tag) {
      sequence += 1;
      // Reads under way still answer the requests that started them, but later requests wait for a new read.
      loading.clear();
      if (tag === undefined) {
        outdatedBefore = sequence;
        entries.clear();
        tagged.clear();
        recentTags.clear();
        bytes = 0;
        counts.invalidations += 1;
        return;
      }
      for (const key of tagged.get(tag) ?? []) drop(key);
      if (reading > 0) {
        if (recentTags.size >= MAX_RECENT_TAGS) {
          outdatedBefore = sequence;
          recentTags.clear();
        } else recentTags.set(tag, sequence);
      }
      counts.tagInvalidations += 1;
    },

    confirmed(at) {
      confirmedAt = Math.max(confirmedAt, at);
    },

    now,

    stats: () => ({ ...counts, entries: entries.size, bytes, confirmedAt }),
  };
}
