import { expect } from 'chai';
import { errorCodeOf } from '@shop/testkit';
import { assertVoidable, canTransition, cancellationStepOf, refundAmountOf, type PaymentStatus } from '../../src/domain/payment';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const sentAt = new Date('2026-01-01T10:00:00Z');

describe('payment domain: a cancelled order', () => {
  describe('cancellationStepOf', () => {
    it('when only the authorization holds the money (or its capture failed), then it is voided', () => {
      for (const status of ['authorizing', 'authorized', 'capture_failed'] as PaymentStatus[]) {
        expect(cancellationStepOf({ status, captureSentAt: null, cancelRequestedAt: null }), status).to.equal('void');
      }
    });

    it('when the capture is recorded but was not sent to the provider, then it is voided (the capture is never sent)', () => {
      expect(cancellationStepOf({ status: 'capture_requested', captureSentAt: null, cancelRequestedAt: null })).to.equal('void');
    });

    it('when the capture was sent but not confirmed, then the confirmation is awaited', () => {
      expect(cancellationStepOf({ status: 'capture_requested', captureSentAt: sentAt, cancelRequestedAt: null })).to.equal('await_capture');
    });

    it('when the payment was captured, then it is refunded', () => {
      expect(cancellationStepOf({ status: 'captured', captureSentAt: sentAt, cancelRequestedAt: null })).to.equal('refund');
    });

    it('when no money is held (failed, voided) or the cancellation was taken in before, then nothing is done', () => {
      for (const status of ['failed', 'voiding', 'voided', 'refunding', 'refunded', 'refund_failed'] as PaymentStatus[]) {
        expect(cancellationStepOf({ status, captureSentAt: null, cancelRequestedAt: null }), status).to.equal('nothing');
      }
      for (const status of ['authorized', 'capture_requested', 'captured'] as PaymentStatus[]) {
        expect(cancellationStepOf({ status, captureSentAt: null, cancelRequestedAt: sentAt }), `${status}, cancelled before`).to.equal('nothing');
      }
    });
  });

  describe('refundAmountOf', () => {
    it("when the order's refund amount is what was captured, then that amount is refunded and nothing differs", () => {
      expect(refundAmountOf(usd(4820), usd(4820))).to.deep.equal({ amount: usd(4820), differs: false });
    });

    it('when the order asks for more, less, or another currency, then what was captured is refunded and the difference is flagged', () => {
      expect(refundAmountOf(usd(4820), usd(5000))).to.deep.equal({ amount: usd(4820), differs: true });
      expect(refundAmountOf(usd(4820), usd(100))).to.deep.equal({ amount: usd(4820), differs: true });
      expect(refundAmountOf(usd(4820), { amount: 4820, currency: 'EUR' })).to.deep.equal({ amount: usd(4820), differs: true });
    });

    it('when no amount is asked for, then what was captured is refunded', () => {
      expect(refundAmountOf(usd(1999), undefined)).to.deep.equal({ amount: usd(1999), differs: false });
    });
  });

  describe('status machine', () => {
    it('when a cancelled order is settled, then a payment goes captured -> refunding -> refunded or refund_failed, and those are final', () => {
      expect(canTransition('captured', 'refunding')).to.equal(true);
      expect(canTransition('refunding', 'refunded')).to.equal(true);
      expect(canTransition('refunding', 'refund_failed')).to.equal(true);
      for (const to of ['captured', 'refunding', 'voiding', 'capture_requested'] as PaymentStatus[]) {
        expect(canTransition('refunded', to), `refunded -> ${to}`).to.equal(false);
        expect(canTransition('refund_failed', to), `refund_failed -> ${to}`).to.equal(false);
      }
    });

    it('when a cancelled order held money it never captured, then the capture recorded (or failed) becomes a void, and a capture that beat the void is refunded', () => {
      expect(canTransition('capture_requested', 'voiding')).to.equal(true);
      expect(canTransition('capture_failed', 'voiding')).to.equal(true);
      expect(canTransition('voiding', 'captured')).to.equal(true);
      expect(canTransition('voided', 'refunding')).to.equal(false);
      expect(canTransition('authorized', 'refunding')).to.equal(false);
      expect(canTransition('capture_requested', 'refunding')).to.equal(false);
    });

    it('when a payment is being refunded or was refunded, then it cannot be voided (CONFLICT)', () => {
      for (const status of ['refunding', 'refunded', 'refund_failed'] as PaymentStatus[]) expect(errorCodeOf(() => assertVoidable({ status, orderId: 'o' })), status).to.equal('CONFLICT');
    });
  });
});
