import { expect } from 'chai';
import { isServerUnreachable, retryAt } from '../src/domain/mail-retry';

const LADDER = [1_000, 5_000, 25_000] as const;
const now = new Date('2026-11-29T10:00:00.000Z');
const failedMail = (attempts: number, singleAttempt = false) => ({ attempts, singleAttempt });

/** An error as nodemailer raises it: a message, a code and, when the server answered, its response code. */
function mailerError(code: string, responseCode?: number): Error {
  return Object.assign(new Error(`mail not sent (${code})`), { code }, responseCode === undefined ? {} : { responseCode });
}

describe('mail retries', () => {
  describe('retryAt', () => {
    it('when the first, second and third sends fail, then they are retried after 1 s, 5 s and 25 s', () => {
      const retries = [1, 2, 3].map((attempts) => retryAt(failedMail(attempts), LADDER, now)?.toISOString());

      expect(retries).to.deep.equal(['2026-11-29T10:00:01.000Z', '2026-11-29T10:00:05.000Z', '2026-11-29T10:00:25.000Z']);
    });

    it('when the fourth send fails, then there is no retry: the mail is failed', () => {
      expect(retryAt(failedMail(4), LADDER, now)).to.equal(undefined);
      expect(retryAt(failedMail(9), LADDER, now)).to.equal(undefined);
    });

    it('when the mail was sent again by hand, then its one try is not retried', () => {
      expect(retryAt(failedMail(1, true), LADDER, now)).to.equal(undefined);
      expect(retryAt(failedMail(2, true), LADDER, now)).to.equal(undefined);
    });

    it('when the ladder is empty, then no send is retried', () => {
      expect(retryAt(failedMail(1), [], now)).to.equal(undefined);
    });

    it('when the retry is scheduled, then it is counted from the given instant and leaves it unchanged', () => {
      const at = new Date('2026-11-29T23:59:59.500Z');

      const next = retryAt(failedMail(1), [1_000], at);

      expect(next?.toISOString()).to.equal('2026-11-30T00:00:00.500Z');
      expect(at.toISOString()).to.equal('2026-11-29T23:59:59.500Z');
    });
  });

  describe('isServerUnreachable', () => {
    it('when nodemailer cannot connect or loses the socket, then the server is unreachable', () => {
      expect(isServerUnreachable({ code: 'ECONNECTION' })).to.equal(true);
      expect(isServerUnreachable({ code: 'ESOCKET' })).to.equal(true);
      expect(isServerUnreachable(mailerError('ECONNECTION'))).to.equal(true);
      expect(isServerUnreachable(mailerError('ETIMEDOUT'))).to.equal(true);
    });

    it('when the connection is refused or reset, then the server is unreachable', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });

      expect(isServerUnreachable(refused)).to.equal(true);
      expect(isServerUnreachable({ code: 'ECONNRESET' })).to.equal(true);
    });

    it('when the connection closes before the server says a word (nodemailer: "Unexpected socket close", no code), then the server is unreachable', () => {
      expect(isServerUnreachable(new Error('Unexpected socket close'))).to.equal(true);
      expect(isServerUnreachable(Object.assign(new Error('Unexpected socket close'), { code: 'ETLS' }))).to.equal(false);
    });

    it('when the SMTP server answered, then it is reachable, whatever the code', () => {
      expect(isServerUnreachable({ code: 'EENVELOPE', responseCode: 450 })).to.equal(false);
      expect(isServerUnreachable(mailerError('EMESSAGE', 554))).to.equal(false);
      expect(isServerUnreachable(mailerError('ECONNECTION', 421))).to.equal(false);
    });

    it('when the error has no known code, then the server is not called unreachable', () => {
      expect(isServerUnreachable(new Error('something else'))).to.equal(false);
      expect(isServerUnreachable({ code: 'EAUTH' })).to.equal(false);
      expect(isServerUnreachable({ code: 111 })).to.equal(false);
    });

    it('when the thrown value is not an object, then the server is not called unreachable', () => {
      for (const value of [undefined, null, 'ECONNREFUSED', 42, true]) expect(isServerUnreachable(value), String(value)).to.equal(false);
    });
  });
});
