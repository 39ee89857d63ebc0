import { expect } from 'chai';
import { loadSandboxConfig } from '../../src/config';
import { ProviderError } from '../../src/errors';
import { escapeHtml, formatMoney, html } from '../../src/http/pages';
import { assertApprovable, assertCancellableByShopper, assertWithdrawable, capturedPaymentOf, type PaypalApproval } from '../../src/paypal';

const now = new Date('2026-03-01T12:00:00Z');

function approval(overrides: Partial<PaypalApproval> = {}): PaypalApproval {
  return {
    id: 'pp_1',
    status: 'awaiting_approval',
    amount: { amount: 2500, currency: 'USD' },
    reference: 'order-1',
    returnUrl: 'https://shop.test/return',
    cancelUrl: 'https://shop.test/cancel',
    authorizationId: null,
    cancelledBy: null,
    createdAt: now,
    approvedAt: null,
    cancelledAt: null,
    ...overrides,
  };
}

const approved = approval({ status: 'approved', authorizationId: 'auth_1', approvedAt: now });
const cancelledByShopper = approval({ status: 'cancelled', cancelledBy: 'shopper', cancelledAt: now });
const withdrawn = approval({ status: 'cancelled', cancelledBy: 'merchant', cancelledAt: now });

function codeOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return (err as ProviderError).code;
  }
}

describe('PayPal approval rules', () => {
  it('when the shopper approves, then only a cancelled approval is refused (approval_cancelled)', () => {
    expect(codeOf(() => assertApprovable(approval()))).to.equal(undefined);
    expect(codeOf(() => assertApprovable(approved))).to.equal(undefined);
    expect(codeOf(() => assertApprovable(cancelledByShopper))).to.equal('approval_cancelled');
    expect(codeOf(() => assertApprovable(withdrawn))).to.equal('approval_cancelled');
  });

  it('when the shopper cancels, then an approved one is approval_completed and a withdrawn one approval_cancelled', () => {
    expect(codeOf(() => assertCancellableByShopper(approval()))).to.equal(undefined);
    expect(codeOf(() => assertCancellableByShopper(approved))).to.equal('approval_completed');
    expect(codeOf(() => assertCancellableByShopper(withdrawn))).to.equal('approval_cancelled');
  });

  it('when the merchant withdraws, then only an approved one is refused (approval_completed, 409)', () => {
    expect(codeOf(() => assertWithdrawable(approval()))).to.equal(undefined);
    expect(codeOf(() => assertWithdrawable(cancelledByShopper))).to.equal(undefined);
    expect(codeOf(() => assertWithdrawable(approved))).to.equal('approval_completed');
    expect(new ProviderError('approval_completed', '').status).to.equal(409);
  });

  it('when an approval is approved, then it becomes an authorization captured in full, brand paypal, no card digits', () => {
    const authorization = capturedPaymentOf(approval(), 'auth_9', now);

    expect(authorization).to.deep.equal({
      id: 'auth_9',
      status: 'captured',
      amount: { amount: 2500, currency: 'USD' },
      reference: 'order-1',
      brand: 'paypal',
      last4: null,
      declineCode: null,
      laterFailure: null,
      capturedAmount: 2500,
      refundedAmount: 0,
      createdAt: now,
      capturedAt: now,
      voidedAt: null,
    });
  });
});

describe('approval pages', () => {
  it('when a value is put into html, then &, <, >, " and \' are escaped; nested html is kept', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p title="${'"x"'}">${html`<b>${'<i>'}</b>`}</p>`.text).to.equal('<p title="&quot;x&quot;"><b>&lt;i&gt;</b></p>');
  });

  it('when an amount is shown, then in the currency\'s own decimals', () => {
    expect(formatMoney({ amount: 2500, currency: 'USD' })).to.equal('$25.00 USD');
    expect(formatMoney({ amount: 123456, currency: 'EUR' })).to.equal('€1,234.56 EUR');
    expect(formatMoney({ amount: 500, currency: 'JPY' })).to.equal('¥500 JPY');
  });
});

describe('PUBLIC_URL', () => {
  it('when unset, then http://localhost:4010; a trailing slash is dropped; not http(s), a query or a fragment: it throws', () => {
    expect(loadSandboxConfig({}).PUBLIC_URL).to.equal('http://localhost:4010');
    expect(loadSandboxConfig({ PUBLIC_URL: 'https://pay.example/sandbox/' }).PUBLIC_URL).to.equal('https://pay.example/sandbox');
    for (const bad of ['ftp://pay.example', 'https://pay.example/?x=1', 'https://pay.example/#top', 'pay.example']) {
      expect(() => loadSandboxConfig({ PUBLIC_URL: bad }), bad).to.throw(/PUBLIC_URL/);
    }
  });
});
