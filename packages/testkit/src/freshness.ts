/** One answer a poller got: when its request started (wall clock, ms) and what it showed. */
export interface Sample<T> {
  startedAt: number;
  value: T;
}

export interface Poller<T> {
  samples: Sample<T>[];
  /** Stops after the request in flight; resolves with every sample. */
  stop(): Promise<Sample<T>[]>;
}

/**
 * Asks `read` again and again, one request after the other, as a shopper refreshing a page would;
 * `pauseMs` between requests keeps a poller under a rate limit.
 */
export function startPolling<T>(read: () => Promise<T>, pauseMs = 0): Poller<T> {
  const samples: Sample<T>[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const startedAt = Date.now();
      samples.push({ startedAt, value: await read() });
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/**
 * The freshness promise judged on a poller's samples: every answer to a request that started
 * `withinMs` or more after the commit shows the new value. `judged` counts those answers (a test
 * must see enough of them to be able to fail), `stale` lists the ones that broke the promise.
 */
export function judgeFreshness<T>(samples: Sample<T>[], committedAt: number, isNew: (value: T) => boolean, withinMs = 1_000) {
  const judged = samples.filter((s) => s.startedAt >= committedAt + withinMs);
  return {
    judged: judged.length,
    stale: judged.filter((s) => !isNew(s.value)),
    /** When, after the commit, the first answer showing the new value was asked for (NaN: never). */
    firstSeenAfterMs: (samples.find((s) => isNew(s.value))?.startedAt ?? Number.NaN) - committedAt,
  };
}
