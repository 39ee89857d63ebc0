import { expect } from 'chai';
import { sleep } from '@shop/platform';
import type { HeaderList } from '../../src/forward';
import { createRateLimits, type RateLimits } from '../../src/rate-limits';

/** An answer's header list, for the limit headers. */
const response = (): HeaderList => [];

/** The values of a header in a list. */
function valuesOf(headers: HeaderList, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) values.push(headers[i + 1]!);
  return values;
}

describe('gateway', () => {
  describe('rate limiter', () => {
    let limits: RateLimits;
    beforeEach(() => {
      limits = createRateLimits({ RATE_LIMIT_WINDOW_MS: 1_000, RATE_LIMIT_MAX: 2, AUTH_RATE_LIMIT_MAX: 1 });
    });
    afterEach(() => limits.close());

    it('when a client goes over the limit, then it is refused with the time left until its window ends, and other clients are not', () => {
      const first = response();
      expect(limits.general.take('10.0.0.1', first)).to.equal(undefined);
      expect(valuesOf(first, 'ratelimit-policy')).to.deep.equal(['2;w=1']);
      expect(valuesOf(first, 'ratelimit')).to.deep.equal(['limit=2, remaining=1, reset=1']);
      expect(limits.general.take('10.0.0.1', response())).to.equal(undefined);
      const refused = response();
      const error = limits.general.take('10.0.0.1', refused);
      expect(error?.code).to.equal('RATE_LIMITED');
      expect(error?.details.retryAfterSeconds).to.equal(1);
      expect(valuesOf(refused, 'ratelimit')).to.deep.equal(['limit=2, remaining=0, reset=1']);
      expect(limits.general.take('10.0.0.2', response())).to.equal(undefined);
    });

    it('when the window has ended, then the client starts again from a full allowance', async () => {
      limits.general.take('10.0.0.1', response());
      limits.general.take('10.0.0.1', response());
      expect(limits.general.take('10.0.0.1', response())).to.not.equal(undefined);
      await sleep(1_050);
      expect(limits.general.take('10.0.0.1', response())).to.equal(undefined);
    });

    it('when a request is counted by two limiters, then its answer shows the last one counted, once', () => {
      const login = response();
      limits.general.take('10.0.0.1', login);
      limits.login.take('10.0.0.1', login);
      expect(valuesOf(login, 'ratelimit-policy')).to.deep.equal(['1;w=1']);
      expect(valuesOf(login, 'ratelimit')).to.deep.equal(['limit=1, remaining=0, reset=1']);
    });

    it('when a request logs in or registers, then the strict limiter of that route applies as well; other routes and methods have none', () => {
      expect(limits.strictFor('POST', '/api/v1/auth/login')).to.equal(limits.login);
      expect(limits.strictFor('POST', '/api/v1/customers')).to.equal(limits.registration);
      expect(limits.strictFor('GET', '/api/v1/customers')).to.equal(undefined);
      expect(limits.strictFor('POST', '/api/v1/customers/verify')).to.equal(undefined);
    });
  });
});
