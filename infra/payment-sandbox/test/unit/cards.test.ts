import { expect } from 'chai';
import { assessCard, brandOf, isExpired, isLuhnValid, last4Of, TEST_CARDS, type Card } from '../../src/cards';

const NOW = new Date('2026-05-15T12:00:00Z');
const card = (number: string, overrides: Partial<Card> = {}): Card => ({ number, expMonth: 12, expYear: 2028, cvc: '123', ...overrides });
const EXPIRED = { expMonth: 4, expYear: 2026 };

describe('card rules', () => {
  describe('isLuhnValid', () => {
    it('when the checksum of a test card holds, then it is valid', () => {
      for (const number of Object.values(TEST_CARDS)) expect(isLuhnValid(number), number).to.equal(true);
    });

    it('when one digit of a valid number is changed, then it is not valid', () => {
      expect(isLuhnValid('4242424242424241')).to.equal(false);
      expect(isLuhnValid('4000000000000003')).to.equal(false);
    });

    it('when the number is not 12 to 19 digits, then it is not valid', () => {
      expect(isLuhnValid('42424')).to.equal(false);
      expect(isLuhnValid('00000000000')).to.equal(false);
      expect(isLuhnValid('42424242424242424242')).to.equal(false);
      expect(isLuhnValid('4242 4242 4242 4242')).to.equal(false);
      expect(isLuhnValid('4242x42424242424')).to.equal(false);
      expect(isLuhnValid('')).to.equal(false);
    });
  });

  describe('brandOf', () => {
    it('when the number starts with 4, then visa', () => {
      expect(brandOf('4242424242424242')).to.equal('visa');
    });

    it('when it starts with 51 to 55 or 2221 to 2720, then mastercard', () => {
      for (const number of ['5105105105105100', '5555555555554444', '2221000000000009', '2720990000000000']) expect(brandOf(number), number).to.equal('mastercard');
    });

    it('when it starts with 50, 56 or falls just outside 2221-2720, then unknown', () => {
      for (const number of ['5000000000000000', '5600000000000000', '2220990000000000', '2721000000000000']) expect(brandOf(number), number).to.equal('unknown');
    });

    it('when it starts with 34 or 37, then amex', () => {
      expect(brandOf('378282246310005')).to.equal('amex');
      expect(brandOf('340000000000009')).to.equal('amex');
    });

    it('when it is another network (Discover), then unknown', () => {
      expect(brandOf('6011111111111117')).to.equal('unknown');
    });
  });

  describe('last4Of', () => {
    it('when the number looks like a card number, then its last four digits', () => {
      expect(last4Of('4242424242424242')).to.equal('4242');
    });

    it('when it is too short or not digits, then none (its last four could be most of it)', () => {
      expect(last4Of('42424')).to.equal(null);
      expect(last4Of('4242-4242-4242-4242')).to.equal(null);
    });
  });

  describe('isExpired', () => {
    it('when the expiry is the current month, then not expired (good through its last day)', () => {
      expect(isExpired(5, 2026, NOW)).to.equal(false);
      expect(isExpired(5, 2026, new Date('2026-05-31T23:59:59Z'))).to.equal(false);
    });

    it('when the expiry was last month or an earlier year, then expired', () => {
      expect(isExpired(4, 2026, NOW)).to.equal(true);
      expect(isExpired(12, 2025, NOW)).to.equal(true);
    });

    it('when the expiry is a later month or year, then not expired', () => {
      expect(isExpired(6, 2026, NOW)).to.equal(false);
      expect(isExpired(1, 2027, NOW)).to.equal(false);
    });
  });

  describe('assessCard', () => {
    it('when the card is 4242424242424242, then authorized as visa 4242 with nothing scripted later', () => {
      expect(assessCard(card(TEST_CARDS.approved), NOW)).to.deep.equal({ outcome: 'authorized', brand: 'visa', last4: '4242', laterFailure: null });
    });

    it('when the card is a Mastercard, then authorized as mastercard', () => {
      expect(assessCard(card(TEST_CARDS.approvedMastercard), NOW)).to.deep.include({ outcome: 'authorized', brand: 'mastercard', last4: '4444' });
    });

    it('when the card is 4000000000000119, then the provider fails, whatever else is wrong with it', () => {
      expect(assessCard(card(TEST_CARDS.processingError), NOW)).to.deep.equal({ outcome: 'provider_error' });
      expect(assessCard(card(TEST_CARDS.processingError, EXPIRED), NOW)).to.deep.equal({ outcome: 'provider_error' });
    });

    it('when the number fails the Luhn check, then incorrect_number, before the expiry is looked at', () => {
      expect(assessCard(card('4242424242424241', EXPIRED), NOW)).to.deep.include({ outcome: 'declined', code: 'incorrect_number' });
      expect(assessCard(card('1234'), NOW)).to.deep.include({ outcome: 'declined', code: 'incorrect_number', last4: null });
    });

    it('when the card is 378282246310005 or another American Express number, then unsupported_card, before the expiry', () => {
      expect(assessCard(card(TEST_CARDS.amex), NOW)).to.deep.equal({ outcome: 'declined', code: 'unsupported_card', brand: 'amex', last4: '0005' });
      expect(assessCard(card('371449635398431', EXPIRED), NOW)).to.deep.include({ code: 'unsupported_card' });
    });

    it('when the card is of an unknown network, then unsupported_card', () => {
      expect(assessCard(card('6011111111111117'), NOW)).to.deep.include({ outcome: 'declined', code: 'unsupported_card', brand: 'unknown' });
    });

    it('when the card expired, then expired_card, before the scripted declines', () => {
      expect(assessCard(card(TEST_CARDS.approved, EXPIRED), NOW)).to.deep.include({ outcome: 'declined', code: 'expired_card', last4: '4242' });
      expect(assessCard(card(TEST_CARDS.declined, EXPIRED), NOW)).to.deep.include({ code: 'expired_card' });
    });

    it('when the card is 4000000000000002, then card_declined', () => {
      expect(assessCard(card(TEST_CARDS.declined), NOW)).to.deep.equal({ outcome: 'declined', code: 'card_declined', brand: 'visa', last4: '0002' });
    });

    it('when the card is 4000000000009995, then insufficient_funds', () => {
      expect(assessCard(card(TEST_CARDS.insufficientFunds), NOW)).to.deep.include({ outcome: 'declined', code: 'insufficient_funds' });
    });

    it('when the card is 4000000000000341, then authorized, its capture to fail', () => {
      expect(assessCard(card(TEST_CARDS.captureFails), NOW)).to.deep.include({ outcome: 'authorized', laterFailure: 'capture_fails' });
    });

    it('when the card is 4000000000000259, then authorized, its refunds to fail', () => {
      expect(assessCard(card(TEST_CARDS.refundFails), NOW)).to.deep.include({ outcome: 'authorized', laterFailure: 'refund_fails' });
    });
  });
});
