import http from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { sleep } from '@shop/platform';
import { createRateLimits, type RateLimits } from '../../src/rate-limits';

/** A response to read the limit headers from, without a server. */
function response(): http.ServerResponse {
  return new http.ServerResponse(new http.IncomingMessage(new Socket()));
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
      expect(first.getHeader('ratelimit-policy')).to.equal('2;w=1');
      expect(first.getHeader('ratelimit')).to.equal('limit=2, remaining=1, reset=1');
      expect(limits.general.take('10.0.0.1', response())).to.equal(undefined);
      const refused = response();
      const error = limits.general.take('10.0.0.1', refused);
      expect(error?.code).to.equal('RATE_LIMITED');
      expect(error?.details.retryAfterSeconds).to.equal(1);
      expect(refused.getHeader('ratelimit')).to.equal('limit=2, remaining=0, reset=1');
      expect(limits.general.take('10.0.0.2', response())).to.equal(undefined);
    });

    it('when the window has ended, then the client starts again from a full allowance', async () => {
      limits.general.take('10.0.0.1', response());
      limits.general.take('10.0.0.1', response());
      expect(limits.general.take('10.0.0.1', response())).to.not.equal(undefined);
      await sleep(1_050);
      expect(limits.general.take('10.0.0.1', response())).to.equal(undefined);
    });

    it('when a request logs in or registers, then the strict limiter of that route applies as well; other routes and methods have none', () => {
      expect(limits.strictFor('POST', '/api/v1/auth/login')).to.equal(limits.login);
      expect(limits.strictFor('POST', '/api/v1/customers')).to.equal(limits.registration);
      expect(limits.strictFor('GET', '/api/v1/customers')).to.equal(undefined);
      expect(limits.strictFor('POST', '/api/v1/customers/verify')).to.equal(undefined);
    });
  });
});
