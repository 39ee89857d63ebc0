import { expect } from 'chai';
import { errorCodeOf } from '@shop/testkit';
import { assertVoidable, canTransition, declineReasonOf, isVoided, paymentFailed, type PaymentStatus } from '../../src/domain/payment';

describe('payment domain', () => {
  it("when the provider declines, then its code becomes API.md's reason; an expired or mistyped card is a declined card; anything else the provider's error", () => {
    expect(['card_declined', 'insufficient_funds', 'unsupported_card', 'expired_card', 'incorrect_number', 'processing_error', 'something_new'].map(declineReasonOf)).to.deep.equal([
      'card_declined',
      'insufficient_funds',
      'unsupported_card',
      'card_declined',
      'card_declined',
      'provider_error',
      'provider_error',
    ]);
  });

  it('when a payment fails, then PAYMENT_FAILED names the reason and the order', () => {
    const error = paymentFailed('insufficient_funds', 'o1');
    expect(error.code).to.equal('PAYMENT_FAILED');
    expect(error.details).to.deep.equal({ reason: 'insufficient_funds', orderId: 'o1' });
  });

  it('when a payment was captured or is being captured, then it cannot be voided (CONFLICT); before that, it can', () => {
    for (const status of ['capture_requested', 'captured', 'capture_failed'] as PaymentStatus[]) expect(errorCodeOf(() => assertVoidable({ status, orderId: 'o' })), status).to.equal('CONFLICT');
    for (const status of ['authorizing', 'authorized', 'failed'] as PaymentStatus[]) expect(() => assertVoidable({ status, orderId: 'o' }), status).not.to.throw();
  });

  it('when the statuses are walked, then a captured payment is final, a voided one only reopens to void a late authorization', () => {
    expect(canTransition('authorizing', 'authorized')).to.equal(true);
    expect(canTransition('authorized', 'capture_requested')).to.equal(true);
    expect(canTransition('capture_requested', 'captured')).to.equal(true);
    expect(canTransition('captured', 'voiding')).to.equal(false);
    expect(canTransition('voided', 'voiding')).to.equal(true);
    expect(canTransition('voided', 'authorized')).to.equal(false);
    expect(canTransition('failed', 'authorized')).to.equal(false);
    expect(isVoided({ status: 'voiding' }) && isVoided({ status: 'voided' }) && !isVoided({ status: 'authorized' })).to.equal(true);
  });
});
