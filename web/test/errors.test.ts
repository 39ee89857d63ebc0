import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrors, messageFor, paymentFailureSentence } from '../src/api/errors';

const error = (status: number, code: string, message = '', details = {}) => ApiError.from(status, { error: { code, message, details } });

describe('error messages', () => {
  it('when QUANTITY_EXCEEDS_STOCK names what is available, then the sentence says how many are left', () => {
    expect(messageFor(error(409, 'QUANTITY_EXCEEDS_STOCK', 'not enough', { available: 3 }))).toBe('Only 3 left: choose 3 or fewer.');
  });

  it('when a card is declined, then the reason is a sentence, not a code', () => {
    const text = messageFor(error(402, 'PAYMENT_FAILED', 'payment failed', { reason: 'card_declined' }));
    expect(text).toBe('Your card was declined. Try another card.');
  });

  it('when the card type is not accepted (the payment service says unsupported_card), then the sentence says so', () => {
    expect(messageFor(error(402, 'PAYMENT_FAILED', 'this card type is not accepted', { reason: 'unsupported_card' }))).toBe('This card type is not accepted. Try a Visa or Mastercard.');
  });

  it('when an order shows why its payment failed, then every reason the payment service gives is a sentence, and an unknown one too', () => {
    for (const reason of ['card_declined', 'insufficient_funds', 'unsupported_card', 'provider_error', 'approval_cancelled', 'approval_expired', 'something_new']) {
      const text = paymentFailureSentence(reason);
      expect(text, reason).toMatch(/^[A-Z].*\.$/);
      expect(text, reason).not.toContain('_');
    }
    expect(paymentFailureSentence('approval_cancelled')).toBe('You cancelled the payment at PayPal. Nothing was charged.');
  });

  it("when a country is not shipped to, then the shop's own message is shown", () => {
    expect(messageFor(error(422, 'COUNTRY_NOT_SUPPORTED', 'the shop only ships to US'))).toBe('The shop only ships to US.');
  });

  it('when every code of the API document is answered, then none shows its code or falls back to the generic sentence', async () => {
    const document = (await import('../../gateway/src/api-docs/openapi.json')).default as { paths: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>> };
    const codes = new Set<string>();
    for (const operations of Object.values(document.paths))
      for (const operation of Object.values(operations))
        for (const response of Object.values(operation.responses ?? {})) for (const code of response.description?.match(/\b[A-Z][A-Z_]{2,}\b/g) ?? []) codes.add(code);
    expect(codes.size).toBeGreaterThan(40);
    for (const code of codes) {
      const text = messageFor(error(400, code));
      expect(text, code).not.toContain(code);
      if (code !== 'INTERNAL') expect(text, code).not.toBe(messageFor(error(500, 'INTERNAL')));
    }
  });

  it("when VALIDATION_ERROR lists fields, then each field gets its own message", () => {
    const fields = fieldErrors(error(400, 'VALIDATION_ERROR', 'invalid', { fields: [{ location: 'body', field: 'trackingNumber', message: '"trackingNumber" is required' }] }));
    expect(fields).toEqual({ trackingNumber: 'TrackingNumber is required' });
  });

  it('when the network fails, then the person is told to check the connection', () => {
    expect(messageFor(new ApiError(0, 'NETWORK', ''))).toMatch(/cannot be reached/);
  });
});
