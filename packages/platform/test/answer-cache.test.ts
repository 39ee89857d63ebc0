import { expect } from 'chai';
import { answerCacheOptions, clientHas, createAnswerCache, toAnswer, type AnswerCacheOptions } from '../src';

/** A cache on a clock the test moves by hand. */
function cacheAt(options: Partial<AnswerCacheOptions> = {}) {
  const clock = { now: 1_000 };
  const cache = createAnswerCache({ maxEntries: 100, maxBytes: 1_000_000, maxStalenessMs: 900, now: () => clock.now, ...options });
  return { cache, clock };
}

/** A load the test finishes when it wants, to put a commit in the middle of a read. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('platform: answer cache', () => {
  it('when an answer is filled, then it is kept as JSON bytes with a strong ETag of those bytes, read once', async () => {
    const { cache } = cacheAt();
    let reads = 0;
    const filled = await cache.fill('k', async () => {
      reads += 1;
      return { price: { amount: 1999, currency: 'USD' } };
    });
    expect(filled.body.toString()).to.equal('{"price":{"amount":1999,"currency":"USD"}}');
    expect(filled.etag).to.match(/^"[A-Za-z0-9_-]{27}"$/);
    expect(cache.lookup('k')?.etag).to.equal(filled.etag);
    expect(reads).to.equal(1);
    expect(cache.stats()).to.include({ hits: 1, loads: 1, entries: 1 });
  });

  it('when two answers differ by a byte, then their ETags differ; equal bodies have equal ETags', () => {
    expect(toAnswer({ a: 1 }, 0).etag).to.equal(toAnswer({ a: 1 }, 5).etag);
    expect(toAnswer({ a: 1 }, 0).etag).not.to.equal(toAnswer({ a: 2 }, 0).etag);
  });

  it('when many requests miss one key at once, then one read serves them all', async () => {
    const { cache } = cacheAt();
    const read = deferred<unknown>();
    let reads = 0;
    const load = () => {
      reads += 1;
      return read.promise;
    };
    const answers = [cache.fill('k', load), cache.fill('k', load), cache.fill('k', load)];
    read.resolve({ n: 1 });
    const bodies = (await Promise.all(answers)).map((a) => a.body.toString());
    expect(bodies).to.deep.equal(['{"n":1}', '{"n":1}', '{"n":1}']);
    expect(reads).to.equal(1);
  });

  it('when a change is committed, then every kept answer is dropped', async () => {
    const { cache } = cacheAt();
    await cache.fill('a', async () => 1);
    await cache.fill('b', async () => 2);
    cache.invalidate();
    expect(cache.lookup('a')).to.equal(undefined);
    expect(cache.lookup('b')).to.equal(undefined);
    expect(cache.stats()).to.include({ entries: 0, bytes: 0, invalidations: 1 });
  });

  it('when a change is committed while an answer is read, then that answer is not kept (it may predate the change), and later requests read again', async () => {
    const { cache } = cacheAt();
    const before = deferred<unknown>();
    const early = cache.fill('k', () => before.promise);
    cache.invalidate();
    const after = cache.fill('k', async () => ({ price: 2 }));
    before.resolve({ price: 1 });
    expect((await early).body.toString()).to.equal('{"price":1}');
    expect((await after).body.toString()).to.equal('{"price":2}');
    expect(cache.lookup('k')?.body.toString()).to.equal('{"price":2}');
    expect(cache.stats().loads).to.equal(2);
  });

  it('when a read fails, then nothing is kept and the next request reads again', async () => {
    const { cache } = cacheAt();
    let error: unknown;
    await cache.fill('k', async () => Promise.reject(new Error('not found'))).catch((err: unknown) => (error = err));
    expect(error).to.be.an('error');
    expect(cache.lookup('k')).to.equal(undefined);
    expect((await cache.fill('k', async () => 'found')).body.toString()).to.equal('"found"');
  });

  it('when the change channel was never confirmed, then an answer is served until it is maxStalenessMs old, not after', async () => {
    const { cache, clock } = cacheAt();
    await cache.fill('k', async () => 1);
    clock.now += 900;
    expect(cache.lookup('k')).not.to.equal(undefined);
    clock.now += 1;
    expect(cache.lookup('k')).to.equal(undefined);
    expect(cache.stats().entries).to.equal(0);
  });

  it('when the change channel keeps being confirmed, then an old answer is still served; once confirmations stop, only for maxStalenessMs after the last', async () => {
    const { cache, clock } = cacheAt();
    await cache.fill('k', async () => 1);
    for (let i = 0; i < 20; i += 1) {
      clock.now += 200;
      cache.confirmed(clock.now - 10);
      expect(cache.lookup('k'), `after ${(i + 1) * 200} ms`).not.to.equal(undefined);
    }
    const lastConfirmation = clock.now - 10;
    clock.now = lastConfirmation + 900;
    expect(cache.lookup('k')).not.to.equal(undefined);
    clock.now = lastConfirmation + 901;
    expect(cache.lookup('k')).to.equal(undefined);
  });

  it('when there are more answers than maxEntries, then the least recently used go first', async () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    await cache.fill('a', async () => 'a');
    await cache.fill('b', async () => 'b');
    cache.lookup('a');
    await cache.fill('c', async () => 'c');
    expect(cache.lookup('b')).to.equal(undefined);
    expect(cache.lookup('a')).not.to.equal(undefined);
    expect(cache.lookup('c')).not.to.equal(undefined);
  });

  it('when the answers take more than maxBytes, then the oldest go until they fit, and one too large is never kept', async () => {
    const { cache } = cacheAt({ maxBytes: 1_000 });
    await cache.fill('a', async () => 'x'.repeat(300));
    await cache.fill('b', async () => 'y'.repeat(300));
    expect(cache.stats().entries).to.equal(1);
    expect(cache.lookup('b')).not.to.equal(undefined);
    expect(cache.stats().bytes).to.be.at.most(1_000);
    const huge = await cache.fill('c', async () => 'z'.repeat(2_000));
    expect(huge.body.length).to.equal(2_002);
    expect(cache.lookup('c')).to.equal(undefined);
  });

  it('when maxEntries is 0, then answers still get their ETag but nothing is kept', async () => {
    const { cache } = cacheAt({ maxEntries: 0 });
    const answer = await cache.fill('k', async () => 1);
    expect(answer.etag).to.match(/^".+"$/);
    expect(cache.lookup('k')).to.equal(undefined);
  });

  describe('tags: dropping the answers of one thing (a cart) alone', () => {
    const cartOf = (value: unknown) => [(value as { cartId: string }).cartId];

    it('when a tag is invalidated, then the answers tagged with it go, and the others stay', async () => {
      const { cache } = cacheAt();
      await cache.fill('customer 1', async () => ({ cartId: 'c1' }), cartOf);
      await cache.fill('customer 2', async () => ({ cartId: 'c2' }), cartOf);
      cache.invalidate('c1');
      expect(cache.lookup('customer 1')).to.equal(undefined);
      expect(cache.lookup('customer 2')).not.to.equal(undefined);
      expect(cache.stats()).to.include({ entries: 1, invalidations: 0, tagInvalidations: 1 });
    });

    it('when a key is invalidated as a tag, then its answer goes (a key is always one of its tags)', async () => {
      const { cache } = cacheAt();
      await cache.fill('customer 1', async () => ({ cartId: 'c1' }), cartOf);
      cache.invalidate('customer 1');
      expect(cache.lookup('customer 1')).to.equal(undefined);
      expect(cache.stats().bytes).to.equal(0);
    });

    it('when a tag is invalidated while an answer showing it is read, then that answer is not kept; a read of another tag is', async () => {
      const { cache } = cacheAt();
      const mine = deferred<unknown>();
      const theirs = deferred<unknown>();
      const early = cache.fill('customer 1', () => mine.promise, cartOf);
      const other = cache.fill('customer 2', () => theirs.promise, cartOf);
      cache.invalidate('c1');
      mine.resolve({ cartId: 'c1', items: 1 });
      theirs.resolve({ cartId: 'c2', items: 5 });
      expect((await early).body.toString()).to.equal('{"cartId":"c1","items":1}');
      await other;
      expect(cache.lookup('customer 1')).to.equal(undefined);
      expect(cache.lookup('customer 2')).not.to.equal(undefined);
    });

    it('when a tag was invalidated before a read started, then that read is kept', async () => {
      const { cache } = cacheAt();
      const pending = deferred<unknown>();
      const running = cache.fill('customer 2', () => pending.promise, cartOf);
      cache.invalidate('c1');
      await cache.fill('customer 1', async () => ({ cartId: 'c1' }), cartOf);
      pending.resolve({ cartId: 'c2' });
      await running;
      expect(cache.lookup('customer 1')).not.to.equal(undefined);
      expect(cache.lookup('customer 2')).not.to.equal(undefined);
    });

    it('when a tag is invalidated while a read of its key is under way, then a later request does not join that read', async () => {
      const { cache } = cacheAt();
      const before = deferred<unknown>();
      const early = cache.fill('customer 1', () => before.promise, cartOf);
      cache.invalidate('customer 1');
      const after = cache.fill('customer 1', async () => ({ cartId: 'c1', items: 2 }), cartOf);
      before.resolve({ cartId: 'c1', items: 1 });
      expect((await early).body.toString()).to.equal('{"cartId":"c1","items":1}');
      expect((await after).body.toString()).to.equal('{"cartId":"c1","items":2}');
      expect(cache.lookup('customer 1')?.body.toString()).to.equal('{"cartId":"c1","items":2}');
    });
  });

  it('when the CACHE_* settings are given, then the options follow (MB in bytes)', () => {
    expect(answerCacheOptions({ CACHE_MAX_ENTRIES: 5, CACHE_MAX_MB: 2, CACHE_MAX_STALENESS_MS: 900 })).to.deep.equal({ maxEntries: 5, maxBytes: 2 * 1024 * 1024, maxStalenessMs: 900 });
  });

  describe('If-None-Match', () => {
    const etag = '"abc"';
    for (const [header, expected] of [
      [undefined, false],
      ['"abc"', true],
      ['W/"abc"', true],
      ['"x", "abc"', true],
      ['"x",W/"abc"', true],
      ['*', true],
      ['"abd"', false],
      ['abc', false],
    ] as const) {
      it(`when the client sends ${JSON.stringify(header)}, then it has the answer: ${expected}`, () => {
        expect(clientHas(header, etag)).to.equal(expected);
      });
    }
  });
});
