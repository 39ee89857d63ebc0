import { expect } from 'chai';
import type { AppError } from '@shop/platform';
import { errorCodeOf } from '@shop/testkit';
import { toShippingAddress } from '../../src/domain/address';
import { assertNotSuspended, canTransition, toName } from '../../src/domain/customer';
import { toEmail } from '../../src/domain/email';
import { assertValidPassword, PASSWORD_RULES } from '../../src/domain/password';
import { expiresAfter, hashToken, isExpired, newOpaqueToken } from '../../src/domain/tokens';

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
      ['suspended', 'verified'],
      ['suspended', 'unverified'],
      ['unverified', 'unverified'],
    ] as const;
    for (const [from, to] of allowed) it(`when ${from} becomes ${to}, then it is allowed`, () => expect(canTransition(from, to)).to.equal(true));
    for (const [from, to] of refused) it(`when ${from} becomes ${to}, then it is refused`, () => expect(canTransition(from, to)).to.equal(false));
    it('when the customer is suspended, then changes are refused with ACCOUNT_SUSPENDED', () => {
      expect(codeOf(() => assertNotSuspended({ status: 'suspended' }))).to.equal('ACCOUNT_SUSPENDED');
      expect(codeOf(() => assertNotSuspended({ status: 'verified' }))).to.equal(undefined);
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
  });
});
