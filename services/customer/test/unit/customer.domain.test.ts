import { expect } from 'chai';
import type { AppError } from '@shop/platform';
import { errorCodeOf, errorOf } from '@shop/testkit';
import { normalizeAddress, toShippingAddress } from '../../src/domain/address';
import { assertMayOrder, assertNotSelf, assertNotSuspended, canTransition, statusBeforeSuspensionOf, toName } from '../../src/domain/customer';
import { toEmail } from '../../src/domain/email';
import { assertLoginAllowed, mayResendVerification } from '../../src/domain/limits';
import { assertValidPassword, PASSWORD_RULES } from '../../src/domain/password';
import { expiresAfter, hashToken, isExpired, newOpaqueToken, openSuccessor, sealSuccessor } from '../../src/domain/tokens';

const codeOf = errorCodeOf;

describe('customer domain', () => {
  describe('password rules (INV-CUST-001)', () => {
    it('when the password has 8+ characters and a digit, then it is accepted', () => {
      expect(codeOf(() => assertValidPassword('abcdefg1'))).to.equal(undefined);
    });
    it('when the password is shorter than 8 characters, then PASSWORD_INVALID lists the rules and the broken one', () => {
      try {
        assertValidPassword('abc1');
        expect.fail('should throw');
      } catch (err) {
        expect((err as AppError).code).to.equal('PASSWORD_INVALID');
        expect((err as AppError).details).to.deep.equal({ rules: [...PASSWORD_RULES], failed: ['at least 8 characters'] });
      }
    });
    it('when the password has no digit, then PASSWORD_INVALID', () => {
      expect(codeOf(() => assertValidPassword('abcdefghij'))).to.equal('PASSWORD_INVALID');
    });
    it('when the password is longer than 128 characters, then PASSWORD_INVALID', () => {
      expect(codeOf(() => assertValidPassword('a1'.repeat(65)))).to.equal('PASSWORD_INVALID');
    });
  });

  describe('e-mail (INV-CUST-003)', () => {
    it('when the address is well formed, then it is trimmed and lower-cased', () => {
      expect(toEmail('  Ada.Lovelace@Example.COM ')).to.equal('ada.lovelace@example.com');
    });
    for (const bad of ['plainaddress', 'a@b', '@example.com', 'a b@example.com', 'a@@example.com', '']) {
      it(`when the address is "${bad}", then INVALID_EMAIL`, () => {
        expect(codeOf(() => toEmail(bad))).to.equal('INVALID_EMAIL');
      });
    }
  });

  describe('status machine (INV-CUST-004)', () => {
    const allowed = [
      ['unverified', 'verified'],
      ['unverified', 'suspended'],
      ['verified', 'suspended'],
      ['verified', 'unverified'],
    ] as const;
    const refused = [
      ['unverified', 'unverified'],
      ['verified', 'verified'],
      ['suspended', 'suspended'],
    ] as const;
    for (const [from, to] of allowed) it(`when ${from} becomes ${to}, then it is allowed`, () => expect(canTransition(from, to)).to.equal(true));
    for (const [from, to] of refused) it(`when ${from} becomes ${to}, then it is refused`, () => expect(canTransition(from, to)).to.equal(false));
    // Only a reactivation leaves a suspension, back to the status the account had before it.
    it('when suspended becomes verified (a reactivation), then it is allowed', () => expect(canTransition('suspended', 'verified')).to.equal(true));
    it('when suspended becomes unverified (a reactivation), then it is allowed', () => expect(canTransition('suspended', 'unverified')).to.equal(true));
    it('when the customer is suspended, then changes are refused with ACCOUNT_SUSPENDED', () => {
      expect(codeOf(() => assertNotSuspended({ status: 'suspended' }))).to.equal('ACCOUNT_SUSPENDED');
      expect(codeOf(() => assertNotSuspended({ status: 'verified' }))).to.equal(undefined);
    });
  });

  describe('suspension and reactivation', () => {
    const adminId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    it('when an admin would suspend their own account, then CANNOT_SUSPEND_SELF', () => {
      expect(codeOf(() => assertNotSelf(adminId, adminId))).to.equal('CANNOT_SUSPEND_SELF');
    });
    it('when the id is their own in another letter case, then CANNOT_SUSPEND_SELF all the same', () => {
      expect(codeOf(() => assertNotSelf(adminId, adminId.toUpperCase()))).to.equal('CANNOT_SUSPEND_SELF');
    });
    it('when an admin suspends someone else, then it is allowed', () => {
      expect(codeOf(() => assertNotSelf(adminId, '0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b'))).to.equal(undefined);
    });
    it('when the status before the suspension was recorded, then the account returns to it, whatever its verification says', () => {
      expect(statusBeforeSuspensionOf({ statusBeforeSuspension: 'unverified', verifiedAt: new Date('2026-01-01T00:00:00Z') })).to.equal('unverified');
      expect(statusBeforeSuspensionOf({ statusBeforeSuspension: 'verified', verifiedAt: null })).to.equal('verified');
    });
    it('when no status was recorded (an older suspension), then a verified account returns verified and any other unverified', () => {
      expect(statusBeforeSuspensionOf({ statusBeforeSuspension: null, verifiedAt: new Date('2026-01-01T00:00:00Z') })).to.equal('verified');
      expect(statusBeforeSuspensionOf({ statusBeforeSuspension: null, verifiedAt: null })).to.equal('unverified');
    });
  });

  describe('login throttle per e-mail address', () => {
    const limit = { maxFailures: 3, windowSeconds: 900 };
    const windowStart = new Date('2026-01-01T12:00:00Z');
    const at = (seconds: number) => new Date(windowStart.getTime() + seconds * 1_000);
    it('when the address has no failures, then login is allowed', () => {
      expect(codeOf(() => assertLoginAllowed(undefined, limit, at(0)))).to.equal(undefined);
    });
    it('when the address has fewer failures than the limit, then login is allowed', () => {
      expect(codeOf(() => assertLoginAllowed({ failures: 2, window_started_at: windowStart }, limit, at(10)))).to.equal(undefined);
    });
    it('when the address has reached the limit within the window, then RATE_LIMITED with the seconds left until the window ends', () => {
      const error = errorOf(() => assertLoginAllowed({ failures: 3, window_started_at: windowStart }, limit, at(100)));
      expect(error?.code).to.equal('RATE_LIMITED');
      expect(error?.details).to.deep.equal({ retryAfterSeconds: 800 });
    });
    it('when less than a second of the window is left, then Retry-After is rounded up to 1', () => {
      expect(errorOf(() => assertLoginAllowed({ failures: 5, window_started_at: windowStart }, limit, at(899.8)))?.details).to.deep.equal({ retryAfterSeconds: 1 });
    });
    it('when the window has ended, then login is allowed again, from its very end', () => {
      expect(codeOf(() => assertLoginAllowed({ failures: 3, window_started_at: windowStart }, limit, at(900)))).to.equal(undefined);
      expect(codeOf(() => assertLoginAllowed({ failures: 3, window_started_at: windowStart }, limit, at(901)))).to.equal(undefined);
    });
  });

  describe('verification mail limits', () => {
    const limit = { intervalSeconds: 60, dailyLimit: 5 };
    const now = new Date('2026-01-01T12:00:00Z');
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1_000);
    it('when no mail was sent in the last day, then another may go', () => {
      expect(mayResendVerification([], limit, now)).to.equal(true);
    });
    it('when the newest mail is younger than the interval, then none may go', () => {
      expect(mayResendVerification([ago(59)], limit, now)).to.equal(false);
    });
    it('when the newest mail is exactly the interval old, then another may go', () => {
      expect(mayResendVerification([ago(60)], limit, now)).to.equal(true);
    });
    it('when the daily limit was reached, then none may go even long after the newest', () => {
      expect(mayResendVerification([ago(3_600), ago(7_200), ago(10_800), ago(14_400), ago(18_000)], limit, now)).to.equal(false);
      expect(mayResendVerification([ago(3_600), ago(7_200), ago(10_800), ago(14_400)], limit, now)).to.equal(true);
    });
    it('when the interval is 0, then only the daily limit counts', () => {
      const noInterval = { intervalSeconds: 0, dailyLimit: 5 };
      expect(mayResendVerification([now, now, now, now], noInterval, now)).to.equal(true);
      expect(mayResendVerification([now, now, now, now, now], noInterval, now)).to.equal(false);
    });
  });

  describe('names (INV-CUST-005)', () => {
    it('when a name is blank, then it is refused', () => {
      expect(codeOf(() => toName('   ', 'firstName'))).to.equal('VALIDATION_ERROR');
    });
    it('when a name has spaces around it, then they are trimmed', () => {
      expect(toName('  Ada ', 'firstName')).to.equal('Ada');
    });
  });

  describe('tokens', () => {
    it('when two tokens are made, then they differ and are URL-safe with 256 bits', () => {
      const a = newOpaqueToken();
      expect(a).to.not.equal(newOpaqueToken());
      expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    });
    it('when a token is hashed twice, then the hashes match and do not contain the token', () => {
      const token = newOpaqueToken();
      expect(hashToken(token).equals(hashToken(token))).to.equal(true);
      expect(hashToken(token).toString('base64url')).to.not.equal(token);
      expect(hashToken(token)).to.have.length(32);
    });
    it('when a successor is sealed with a refresh token, then that token opens it', () => {
      const token = newOpaqueToken();
      const pair = { accessToken: 'a.b.c', refreshToken: newOpaqueToken(), expiresIn: 900 };
      expect(openSuccessor(token, sealSuccessor(token, pair))).to.deep.equal(pair);
    });
    it('when another token, or a tampered seal, is tried, then the successor does not open', () => {
      const token = newOpaqueToken();
      const sealed = sealSuccessor(token, { refreshToken: 'next' });
      expect(openSuccessor(newOpaqueToken(), sealed)).to.equal(undefined);
      const tampered = Buffer.from(sealed);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
      expect(openSuccessor(token, tampered)).to.equal(undefined);
      expect(openSuccessor(token, Buffer.alloc(0))).to.equal(undefined);
    });
    it('when one successor is sealed twice, then the seals differ and do not show it', () => {
      const token = newOpaqueToken();
      const successor = { refreshToken: 'visible-if-not-encrypted' };
      const [a, b] = [sealSuccessor(token, successor), sealSuccessor(token, successor)];
      expect(a.equals(b)).to.equal(false);
      expect(a.toString('utf8')).to.not.contain('visible-if-not-encrypted');
    });
    it('when the expiry instant is reached, then the token is expired, not a millisecond before', () => {
      const issued = new Date('2026-01-01T00:00:00Z');
      const expiresAt = expiresAfter(issued, 24 * 3_600_000);
      expect(isExpired(expiresAt, new Date('2026-01-01T23:59:59.999Z'))).to.equal(false);
      expect(isExpired(expiresAt, new Date('2026-01-02T00:00:00Z'))).to.equal(true);
    });
  });

  describe('shipping address', () => {
    const address = { recipientName: 'Ada', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'us' };
    it('when the address is domestic with a valid postal code, then it is normalized', () => {
      expect(toShippingAddress(address, 'US')).to.include({ country: 'US', postalCode: '62701' });
      expect(toShippingAddress({ ...address, postalCode: '62701-1234' }, 'US').postalCode).to.equal('62701-1234');
    });
    it('when the country is not the shop country, then COUNTRY_NOT_SUPPORTED', () => {
      expect(codeOf(() => toShippingAddress({ ...address, country: 'DE' }, 'US'))).to.equal('COUNTRY_NOT_SUPPORTED');
    });
    it('when the postal code does not fit the country, then INVALID_POSTAL_CODE', () => {
      expect(codeOf(() => toShippingAddress({ ...address, postalCode: '6270' }, 'US'))).to.equal('INVALID_POSTAL_CODE');
      expect(codeOf(() => toShippingAddress({ ...address, postalCode: 'ABCDE' }, 'US'))).to.equal('INVALID_POSTAL_CODE');
    });
    it('when an address is only normalized, then a foreign one passes with its own postal code rules', () => {
      expect(normalizeAddress({ ...address, country: 'de', postalCode: '10115' })).to.include({ country: 'DE', postalCode: '10115' });
      expect(codeOf(() => normalizeAddress({ ...address, country: 'DE', postalCode: '1011' }))).to.equal('INVALID_POSTAL_CODE');
    });
  });

  describe('who may order', () => {
    it('when the customer is verified, then they may', () => {
      expect(() => assertMayOrder({ status: 'verified' })).not.to.throw();
    });
    it('when unverified, then EMAIL_NOT_VERIFIED; when suspended, then ACCOUNT_SUSPENDED', () => {
      expect(codeOf(() => assertMayOrder({ status: 'unverified' }))).to.equal('EMAIL_NOT_VERIFIED');
      expect(codeOf(() => assertMayOrder({ status: 'suspended' }))).to.equal('ACCOUNT_SUSPENDED');
    });
  });
});
