import { expect } from 'chai';
import { errorCodeOf, errorOf } from '@shop/testkit';
import { canTransition, cancellationStepOf, paymentFailed, type Payment, type PaymentStatus } from '../../src/domain/payment';
import { assertApprovable, assertReturnUrls, captureConfirmationDueAt, isAllowedReturnUrl } from '../../src/domain/paypal';

const ORIGINS = ['http://localhost:8080', 'https://shop.example'];

const paypalPayment = (overrides: Partial<Payment> = {}): Payment => ({
  id: 'p1',
  orderId: 'o1',
  customerId: 'c1',
  method: 'paypal',
  amount: { amount: 4820, currency: 'USD' },
  status: 'awaiting_approval',
  providerAuthorizationId: null,
  brand: null,
  last4: null,
  failureReason: null,
  paypalApprovalId: null,
  paypalApprovalUrl: null,
  approvalRequestedAt: null,
  attempts: 0,
  version: 1,
  authorizedAt: null,
  captureSentAt: null,
  capturedAt: null,
  voidedAt: null,
  cancelRequestedAt: null,
  refundId: null,
  refundedAt: null,
  ...overrides,
});

describe('PayPal domain', () => {
  describe('return pages', () => {
    it("when a page is http(s) on one of the shop's origins, then the shopper may be sent back to it, whatever its path, query or letter case", () => {
      for (const url of [
        'http://localhost:8080/checkout/paypal/return?order=1',
        'http://localhost:8080',
        'HTTP://LOCALHOST:8080/x',
        'https://shop.example/a#b',
        'https://shop.example:443/checkout',
      ]) {
        expect(isAllowedReturnUrl(url, ORIGINS), url).to.equal(true);
      }
    });

    it('when a page is not http(s), on another origin, port or scheme, or disguised with credentials, then it is refused', () => {
      for (const url of [
        'javascript:alert(1)',
        'JavaScript://localhost:8080/%0aalert(1)',
        'data:text/html,<script>alert(1)</script>',
        'ftp://localhost:8080/return',
        'http://localhost:8081/return',
        'https://localhost:8080/return',
        'http://shop.example/return',
        'https://evil.example/return',
        'https://shop.example.evil.example/return',
        'http://localhost:8080@evil.example/return',
        'https://user:pass@shop.example/return',
        '//shop.example/return',
        '/checkout/paypal/return',
        'not a url',
        '',
      ]) {
        expect(isAllowedReturnUrl(url, ORIGINS), url).to.equal(false);
      }
    });

    it('when the return or cancel page is refused, then VALIDATION_ERROR names each refused field', () => {
      const error = errorOf(() => assertReturnUrls({ returnUrl: 'javascript:alert(1)', cancelUrl: 'https://evil.example/' }, ORIGINS));

      expect(error?.code).to.equal('VALIDATION_ERROR');
      expect((error?.details.fields as Array<{ field: string }>).map((f) => f.field)).to.deep.equal(['returnUrl', 'cancelUrl']);
      expect(errorOf(() => assertReturnUrls({ returnUrl: 'http://localhost:8080/ok', cancelUrl: 'http://127.0.0.1:8080/no' }, ORIGINS))?.details.fields).to.deep.equal([
        { field: 'cancelUrl', message: `"cancelUrl" must be an http(s) URL on one of the shop's origins` },
      ]);
      expect(() => assertReturnUrls({ returnUrl: 'http://localhost:8080/ok', cancelUrl: 'https://shop.example/cancel' }, ORIGINS)).not.to.throw();
    });
  });

  describe('which payment a customer may send to PayPal', () => {
    it("when there is no payment, it is someone else's or it is paid by card, then PAYMENT_NOT_FOUND, as if it did not exist", () => {
      expect(errorCodeOf(() => assertApprovable(undefined, 'c1', 'o1'))).to.equal('PAYMENT_NOT_FOUND');
      expect(errorCodeOf(() => assertApprovable(paypalPayment({ customerId: 'c2' }), 'c1', 'o1'))).to.equal('PAYMENT_NOT_FOUND');
      expect(errorCodeOf(() => assertApprovable(paypalPayment({ method: 'card' }), 'c1', 'o1'))).to.equal('PAYMENT_NOT_FOUND');
    });

    it('when the PayPal payment is no longer awaiting approval, then CONFLICT; while it awaits it, nothing is refused', () => {
      for (const status of ['captured', 'failed', 'voiding', 'voided', 'refunded'] as PaymentStatus[]) {
        expect(errorCodeOf(() => assertApprovable(paypalPayment({ status }), 'c1', 'o1')), status).to.equal('CONFLICT');
      }
      expect(() => assertApprovable(paypalPayment(), 'c1', 'o1')).not.to.throw();
    });
  });

  describe('status machine', () => {
    it('when a payment awaits approval, then it may be captured (approved), fail (cancelled or expired) or be withdrawn (voiding), but never authorized or captured by the shop', () => {
      for (const to of ['captured', 'failed', 'voiding', 'voided'] as PaymentStatus[]) expect(canTransition('awaiting_approval', to), to).to.equal(true);
      for (const to of ['authorized', 'capture_requested', 'capture_failed', 'refunding', 'authorizing'] as PaymentStatus[]) expect(canTransition('awaiting_approval', to), to).to.equal(false);
    });

    it('when a PayPal payment failed, then a later approval cannot capture it; a withdrawal the shopper beat is captured (and refunded)', () => {
      expect(canTransition('failed', 'captured')).to.equal(false);
      expect(canTransition('voiding', 'captured')).to.equal(true);
      expect(canTransition('captured', 'refunding')).to.equal(true);
    });

    it('when the order of a payment awaiting approval is cancelled, then its approval is withdrawn (void); a failed one holds nothing', () => {
      expect(cancellationStepOf({ status: 'awaiting_approval', captureSentAt: null, cancelRequestedAt: null })).to.equal('void');
      expect(cancellationStepOf({ status: 'failed', captureSentAt: null, cancelRequestedAt: null })).to.equal('nothing');
      expect(cancellationStepOf({ status: 'captured', captureSentAt: null, cancelRequestedAt: null })).to.equal('refund');
    });
  });

  it('when a PayPal payment fails, then PAYMENT_FAILED says why in words and names the reason', () => {
    expect(paymentFailed('approval_cancelled', 'o1')).to.deep.include({ code: 'PAYMENT_FAILED', message: 'the payment was cancelled at PayPal', details: { reason: 'approval_cancelled', orderId: 'o1' } });
    expect(paymentFailed('approval_expired', 'o1').message).to.equal('the payment was not approved at PayPal in time');
  });

  it("when an approval's capture webhook is awaited, then it is overdue CAPTURE_CONFIRMATION_WAIT_MS after the approval", () => {
    expect(captureConfirmationDueAt(new Date('2026-01-01T10:00:00Z'), 60_000).toISOString()).to.equal('2026-01-01T10:01:00.000Z');
  });
});
